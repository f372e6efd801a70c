using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Sqlite;

/// <summary>Operations on whole threads: delete, copy, prune, roll back, delete chosen checkpoints and list what retention decides by.</summary>
public sealed partial class SqliteCheckpointer : IRetentionRows
{
    /// <summary>Retention rows, newest first: the state's length (in the row or in <c>blobs</c>; a chunked state's manifest, not its chunks) and the pending writes' summed lengths; no payload is read.</summary>
    private const string RetentionRowsSql = """
        SELECT c.id, c.parent_id, c.created_ticks, c.created_offset_minutes, CASE WHEN c.state IS NULL THEN b.kind ELSE 0 END, coalesce(length(c.state), length(b.data)),
               CASE WHEN b.kind = 1 THEN b.data END, length(c.planner_state), c.next_tasks,
               (SELECT coalesce(sum(length(w.payload)), 0) FROM writes w WHERE w.thread_key = c.thread_key AND w.checkpoint_id = c.id)
        FROM checkpoints c LEFT JOIN blobs b ON c.state IS NULL AND b.hash = c.state_hash
        WHERE c.thread_key = (SELECT thread_key FROM threads WHERE thread_id = $thread) ORDER BY c.id DESC
        """;

    /// <inheritdoc />
    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        return Reshape(session => session.DeleteThread(threadId), cancellationToken);
    }

    /// <inheritdoc />
    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(sourceThreadId, nameof(sourceThreadId));
        Checkpoint.ValidateThreadId(targetThreadId, nameof(targetThreadId));
        return Reshape(session => session.CopyThread(sourceThreadId, targetThreadId), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        return Reshape(session => session.Prune(threadId, keepLast), cancellationToken);
    }

    /// <inheritdoc />
    Task<int> ICheckpointRollback.DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken) =>
        Reshape(session => session.DeleteNewerThan(threadId, checkpointId), cancellationToken);

    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        Reshape(session => session.DeleteCheckpoints(threadId, ids), cancellationToken);

    /// <inheritdoc />
    Task<IReadOnlyList<RetentionRow>> IRetentionRows.ListRetentionRowsAsync(string threadId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<RetentionRow> rows = Read(threadId, connection => ReadRetentionRows(connection, threadId));
        return Task.FromResult(rows);
    }

    private static List<RetentionRow> ReadRetentionRows(SqliteConnection connection, string threadId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = RetentionRowsSql;
        command.Parameters.AddWithValue("$thread", threadId);
        var rows = new List<RetentionRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if (reader.IsDBNull(4))
            {
                throw StoreDamage.Checkpoint(threadId, id, "its state is missing");
            }

            rows.Add(RetentionRow.Stored(
                threadId, id, reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : (byte[])reader[6], reader.GetInt64(7), (byte[])reader[8], reader.GetInt64(9)));
        }

        return rows;
    }

    /// <summary>Queues a thread operation: synced, and run with the writer's cached heads and states written and then forgotten.</summary>
    private Task<T> Reshape<T>(Func<SqliteWriteSession, T> body, CancellationToken cancellationToken) =>
        Write(session => session.Reshaping(body), sync: true, cancellationToken);
}
