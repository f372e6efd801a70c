namespace Graph.Engine.Checkpoints;

/// <summary>Operations on whole threads: delete, roll back, delete chosen checkpoints, copy and prune.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <inheritdoc />
    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        lock (gate)
        {
            return Task.FromResult(threads.Remove(threadId));
        }
    }

    /// <inheritdoc />
    Task<int> ICheckpointRollback.DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history))
            {
                return Task.FromResult(0);
            }

            var deleted = history.RemoveAll(kept => kept.Id > checkpointId);
            if (history.Count == 0)
            {
                threads.Remove(threadId);
            }

            return Task.FromResult(deleted);
        }
    }

    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history) || history.Count == 0)
            {
                return Task.FromResult(0);
            }

            var latest = history[^1].Id;
            var doomed = ids as ISet<long> ?? new HashSet<long>(ids);
            return Task.FromResult(history.RemoveAll(kept => kept.Id != latest && doomed.Contains(kept.Id)));
        }
    }

    /// <inheritdoc />
    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(sourceThreadId, nameof(sourceThreadId));
        Checkpoint.ValidateThreadId(targetThreadId, nameof(targetThreadId));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(sourceThreadId, out var source))
            {
                return Task.FromException(new CheckpointStoreException($"Cannot copy thread '{sourceThreadId}': it does not exist."));
            }

            if (threads.ContainsKey(targetThreadId))
            {
                return Task.FromException(new CheckpointStoreException(
                    $"Cannot copy thread '{sourceThreadId}' to '{targetThreadId}': the target already exists."));
            }

            var copy = new List<Kept>(source.Count);
            foreach (var kept in source)
            {
                copy.Add(kept.Clone());
            }

            threads.Add(targetThreadId, copy);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history) || history.Count <= keepLast)
            {
                return Task.FromResult(0);
            }

            var doomed = history.Count - keepLast;
            history.RemoveRange(0, doomed);
            return Task.FromResult(doomed);
        }
    }
}
