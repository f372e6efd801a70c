using System.Data;
using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>
/// Checks the reference structure of a store in one repeatable-read statement: every checkpoint's state exists, every
/// state is used, every chunk a state lists exists and has as many references as states list it, every pending write
/// (and write count) belongs to a checkpoint, every thread has exactly its head row (a head row with an empty digest,
/// which the version 5 migration gives rows that had none, counts as missing) and every shared properties record a
/// checkpoint names exists.
/// </summary>
internal static class PostgresConsistency
{
    private const string Sql = $$"""
        WITH listed AS (SELECT h, count(*) AS n FROM {s}.blobs b, unnest(b.chunk_hashes) AS h GROUP BY h)
        SELECT
            (SELECT count(*) FROM {s}.checkpoints c WHERE NOT EXISTS (SELECT 1 FROM {s}.blobs b WHERE b.hash = c.state_hash)),
            (SELECT count(*) FROM {s}.blobs b WHERE NOT EXISTS (SELECT 1 FROM {s}.checkpoints c WHERE c.state_hash = b.hash)),
            (SELECT count(*) FROM listed l WHERE NOT EXISTS (SELECT 1 FROM {s}.chunks c WHERE c.hash = l.h)),
            (SELECT count(*) FROM {s}.chunks c WHERE NOT EXISTS (SELECT 1 FROM listed l WHERE l.h = c.hash)),
            (SELECT count(*) FROM {s}.chunks c JOIN listed l ON l.h = c.hash WHERE c.refs <> l.n),
            (SELECT count(*) FROM {s}.writes w WHERE NOT EXISTS (SELECT 1 FROM {s}.checkpoints c WHERE c.thread_key = w.thread_key AND c.id = w.checkpoint_id))
            + (SELECT count(*) FROM {s}.write_counts n WHERE NOT EXISTS (SELECT 1 FROM {s}.checkpoints c WHERE c.thread_key = n.thread_key AND c.id = n.checkpoint_id)),
            (SELECT count(*) FROM (SELECT DISTINCT thread_key FROM {s}.checkpoints) t WHERE NOT EXISTS (SELECT 1 FROM {s}.threads h WHERE h.thread_key = t.thread_key))
            + (SELECT count(*) FROM {s}.threads h WHERE length(h.digest) = 0
                OR NOT EXISTS (SELECT 1 FROM {s}.checkpoints c WHERE c.thread_key = h.thread_key AND c.id = h.latest_id)),
            (SELECT count(*) FROM {s}.checkpoints c WHERE {{PostgresMigrations.NamesSharedProperties}}
                AND NOT EXISTS (SELECT 1 FROM {s}.shared_properties p WHERE p.hash = {{PostgresMigrations.SharedPropertiesHash}}))
        """;

    public static async Task<CheckpointConsistencyReport> CheckAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(PostgresSchema.Sql(schema, Sql), connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new CheckpointConsistencyReport(
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6))
        {
            MissingSharedProperties = reader.GetInt64(7),
        };
    }
}
