using Graph.Engine.Checkpoints;

namespace Graph.Engine.Sqlite;

/// <summary>Operations on whole threads: delete, copy, prune, roll back and delete chosen checkpoints.</summary>
public sealed partial class SqliteCheckpointer
{
    /// <inheritdoc />
    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        return Write(session => session.DeleteThread(threadId), sync: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(sourceThreadId, nameof(sourceThreadId));
        Checkpoint.ValidateThreadId(targetThreadId, nameof(targetThreadId));
        return Write(session => session.CopyThread(sourceThreadId, targetThreadId), sync: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        return Write(session => session.Prune(threadId, keepLast), sync: true, cancellationToken);
    }

    /// <inheritdoc />
    Task<int> ICheckpointRollback.DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken) =>
        Write(session => session.DeleteNewerThan(threadId, checkpointId), sync: true, cancellationToken);

    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        Write(session => session.DeleteCheckpoints(threadId, ids), sync: true, cancellationToken);
}
