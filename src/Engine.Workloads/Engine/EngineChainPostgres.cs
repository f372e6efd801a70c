using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Postgres;
using Npgsql;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// chain10-postgres: chain10 with the PostgreSQL checkpointer (Async durability, the default), each run on a new thread
/// id, one run at a time, in a schema of its own that teardown drops.
/// </summary>
/// <param name="connectionString">The server (GRAPH_TEST_POSTGRES or <c>graph bench --pg</c>).</param>
public sealed class EngineChainPostgres(string connectionString) : Workload(WorkloadNames.Chain10Postgres, EngineImplementation, MeasureKind.PerRun)
{
    private const int Length = 10;
    private readonly string threadPrefix = $"bench-{Guid.NewGuid():N}-";
    private readonly string schema = $"bench_{Guid.NewGuid():N}";
    private PostgresCheckpointer? checkpointer;
    private CompiledGraph<int, int>? graph;
    private long runs;

    /// <inheritdoc/>
    public override async ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        checkpointer = await PostgresCheckpointer.OpenAsync(connectionString, schema, cancellationToken).ConfigureAwait(false);
        graph = EngineGraphs.Chain(Length, GraphCompileOptions.Default with { Checkpointer = checkpointer });
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            var options = new RunOptions { ThreadId = threadPrefix + (++runs).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Check(await compiled.InvokeAsync(0, options, cancellationToken).ConfigureAwait(false), Length);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (graph is not null)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }

        if (checkpointer is not null)
        {
            await checkpointer.DisposeAsync().ConfigureAwait(false);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
