using Graph.Engine.Checkpoints;

namespace Graph.Engine.Sqlite;

/// <summary>Operations on whole threads: delete, copy, prune, roll back and delete chosen checkpoints.</summary>
public sealed partial class SqliteCheckpointer
{
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

    /// <summary>Queues a thread operation: synced, and run with the writer's cached heads and states written and then forgotten.</summary>
    private Task<T> Reshape<T>(Func<SqliteWriteSession, T> body, CancellationToken cancellationToken) =>
        Write(session => session.Reshaping(body), sync: true, cancellationToken);
}
