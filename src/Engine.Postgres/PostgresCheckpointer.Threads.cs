using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Graph.Engine.Postgres;

/// <summary>
/// Operations on whole threads: delete, copy, prune, roll back and delete chosen checkpoints (for retention that keeps
/// the newest checkpoints of every branch), and list what retention decides by without reading payloads.
/// </summary>
public sealed partial class PostgresCheckpointer : IRetentionRows
{
    /// <summary>Retention rows, newest first: the state's length (a chunked state's manifest, not its chunks) and the pending writes' summed lengths; no payload is read.</summary>
    private const string RetentionRowsSql = $$"""
        SELECT c.id, c.parent_id, c.created_ticks, c.created_offset_minutes, b.kind, length(b.data),
               CASE WHEN b.kind = 1 THEN b.data END, length(c.planner_state), c.next_tasks,
               (SELECT coalesce(sum(length(w.payload)), 0)::bigint FROM {s}.writes w WHERE w.thread_key = c.thread_key AND w.checkpoint_id = c.id)
        FROM {s}.checkpoints c LEFT JOIN {s}.blobs b ON b.hash = c.state_hash
        WHERE c.thread_key = {{PostgresMigrations.ThreadKey}} ORDER BY c.id DESC
        """;

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
            WITH head AS (SELECT thread_key, latest_id FROM {s}.threads WHERE thread_id = $1 FOR UPDATE),
            doomed AS (SELECT c.thread_key, c.id FROM {s}.checkpoints c JOIN head h ON c.thread_key = h.thread_key
                       WHERE c.id = ANY($2) AND c.id <> h.latest_id),
            writes AS (DELETE FROM {s}.writes w USING doomed d WHERE w.thread_key = d.thread_key AND w.checkpoint_id = d.id),
            counts AS (DELETE FROM {s}.write_counts n USING doomed d WHERE n.thread_key = d.thread_key AND n.checkpoint_id = d.id),
            gone AS (DELETE FROM {s}.checkpoints c USING doomed d WHERE c.thread_key = d.thread_key AND c.id = d.id RETURNING c.state_hash)
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

    /// <inheritdoc />
    Task<IReadOnlyList<RetentionRow>> IRetentionRows.ListRetentionRowsAsync(string threadId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RetentionRow>>(threadId, async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(PostgresSchema.Sql(Schema, RetentionRowsSql), connection);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = threadId });
            var rows = new List<RetentionRow>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                if (reader.IsDBNull(4))
                {
                    throw StoreDamage.Checkpoint(threadId, id, "its state is missing");
                }

                rows.Add(RetentionRow.Stored(
                    threadId, id, reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt16(4), reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : (byte[])reader[6], reader.GetInt32(7), (byte[])reader[8], reader.GetInt64(9)));
            }

            return rows;
        }, cancellationToken);
}
