using Graph.Engine.Checkpoints;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>Operations on whole threads: delete, copy, prune, roll back and delete chosen checkpoints (for retention that keeps the newest checkpoints of every branch).</summary>
public sealed partial class PostgresCheckpointer
{
    /// <inheritdoc />
    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        return Enqueue(
            sync: true,
            cancellationToken,
            value => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) > 0,
            exception => PostgresStatements.Failed($"delete thread '{threadId}'", exception),
            () => statements.DeleteThread(threadId));
    }

    /// <inheritdoc />
    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(sourceThreadId, nameof(sourceThreadId));
        Checkpoint.ValidateThreadId(targetThreadId, nameof(targetThreadId));
        var (request, task) = PostgresWriteRequest.Create<object?>(
            sync: true,
            cancellationToken,
            value => value,
            exception => PostgresStatements.Failed($"copy thread '{sourceThreadId}' to '{targetThreadId}'", exception),
            alone: (connection, transaction, ct) => copier.CopyAsync(connection, transaction, sourceThreadId, targetThreadId, ct));
        Enqueue(request);
        return task;
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        return Enqueue(
            sync: true,
            cancellationToken,
            value => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            exception => PostgresStatements.Failed($"prune thread '{threadId}'", exception),
            () => statements.Prune(threadId, keepLast));
    }

    /// <inheritdoc />
    Task<int> ICheckpointRollback.DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken) =>
        Enqueue(
            sync: true,
            cancellationToken,
            value => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
            exception => PostgresStatements.Failed($"roll back thread '{threadId}'", exception),
            () => statements.DeleteNewerThan(threadId, checkpointId));

    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        // The head is locked so the latest cannot change meanwhile; the states are released by a second statement,
        // which sees the deleted rows gone.
        var delete = PostgresSchema.Sql(Schema, """
            WITH head AS (SELECT latest_id FROM {s}.threads WHERE thread_id = $1 FOR UPDATE),
            doomed AS (SELECT id FROM {s}.checkpoints WHERE thread_id = $1 AND id = ANY($2) AND id <> (SELECT latest_id FROM head)),
            writes AS (DELETE FROM {s}.writes WHERE thread_id = $1 AND checkpoint_id IN (SELECT id FROM doomed)),
            counts AS (DELETE FROM {s}.write_counts WHERE thread_id = $1 AND checkpoint_id IN (SELECT id FROM doomed)),
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
