using Graph.Engine.Orleans.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Graph.Engine.Orleans.Runs;

/// <summary>The run registry in the cluster's PostgreSQL database (table <c>graph_cluster_runs</c>), shared by every silo.</summary>
internal sealed class PostgresRunRegistry(PostgresClusterDatabase database, IOptions<ClusterOptions> cluster) : IRunRegistry
{
    private readonly string clusterId = cluster.Value.ClusterId;

    public async Task RegisterAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO graph_cluster_runs (cluster_id, thread_id, graph, call_id, silo) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (cluster_id, thread_id) DO UPDATE SET graph = excluded.graph, call_id = excluded.call_id, silo = excluded.silo, started_at = now()",
            connection);
        foreach (var value in new object[] { clusterId, run.ThreadId, run.Graph, run.CallId, run.Silo })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string threadId, string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM graph_cluster_runs WHERE cluster_id = $1 AND thread_id = $2 AND call_id = $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = threadId });
        command.Parameters.Add(new NpgsqlParameter { Value = callId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT thread_id, graph, call_id, silo FROM graph_cluster_runs WHERE cluster_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new RunRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return runs;
    }
}
