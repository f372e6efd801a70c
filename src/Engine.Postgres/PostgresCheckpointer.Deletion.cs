using Graph.Engine.Checkpoints;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>Deleting chosen checkpoints of a thread, for retention that keeps the newest checkpoints of every branch.</summary>
public sealed partial class PostgresCheckpointer
{
    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        // The head is locked so the latest cannot change meanwhile; the states are released by a second statement,
        // which sees the deleted rows gone.
        var delete = PostgresSchema.Sql(Schema, """
            WITH head AS (SELECT latest_id FROM {s}.threads WHERE thread_id = $1 FOR UPDATE),
            doomed AS (SELECT id FROM {s}.checkpoints WHERE thread_id = $1 AND id = ANY($2) AND id <> (SELECT latest_id FROM head)),
            writes AS (DELETE FROM {s}.writes WHERE thread_id = $1 AND checkpoint_id IN (SELECT id FROM doomed)),
            gone AS (DELETE FROM {s}.checkpoints WHERE thread_id = $1 AND id IN (SELECT id FROM doomed) RETURNING state_hash)
            SELECT count(*), array(SELECT DISTINCT state_hash FROM gone) FROM gone
            """);
        var release = PostgresSchema.Sql(Schema, "SELECT {s}.release_states($1)");
        var (request, task) = PostgresWriteRequest.Create(
            sync: true,
            cancellationToken,
            value => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            exception => PostgresStatements.Failed($"delete checkpoints of thread '{threadId}'", exception),
            alone: async (connection, transaction, ct) =>
            {
                long deleted;
                byte[][] hashes;
                await using (var command = new NpgsqlCommand(delete, connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = threadId });
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = ids.ToArray() });
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    (deleted, hashes) = (reader.GetInt64(0), reader.GetFieldValue<byte[][]>(1));
                }

                if (hashes.Length > 0)
                {
                    await using var command = new NpgsqlCommand(release, connection, transaction);
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = hashes });
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return deleted;
            });
        Enqueue(request);
        return task;
    }
}
