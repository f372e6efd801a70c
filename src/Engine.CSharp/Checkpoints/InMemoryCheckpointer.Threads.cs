using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
            if (!threads.Remove(threadId, out var history))
            {
                return Task.FromResult(false);
            }

            history.Free(log);
            CompactIfSparse();
            return Task.FromResult(true);
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
            ref var history = ref CollectionsMarshal.GetValueRefOrNullRef(threads, threadId);
            if (Unsafe.IsNullRef(ref history))
            {
                return Task.FromResult(0);
            }

            var deleted = history.RemoveWhere(log, checkpointId, static (id, newest) => id > newest);
            if (history.Count == 0)
            {
                threads.Remove(threadId);
            }

            CompactIfSparse();
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
            ref var history = ref CollectionsMarshal.GetValueRefOrNullRef(threads, threadId);
            if (Unsafe.IsNullRef(ref history) || history.Count == 0)
            {
                return Task.FromResult(0);
            }

            var latest = log[history.Latest].Id;
            var doomed = ids as ISet<long> ?? new HashSet<long>(ids);
            var deleted = history.RemoveWhere(log, (latest, doomed), static (id, d) => id != d.latest && d.doomed.Contains(id));
            CompactIfSparse();
            return Task.FromResult(deleted);
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

            var copy = new History();
            for (var i = 0; i < source.Count; i++)
            {
                copy.Add(log.Add(log[source[i]].Clone()));
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
            ref var history = ref CollectionsMarshal.GetValueRefOrNullRef(threads, threadId);
            if (Unsafe.IsNullRef(ref history) || history.Count <= keepLast)
            {
                return Task.FromResult(0);
            }

            var doomed = history.Count - keepLast;
            history.RemoveOldest(log, doomed);
            CompactIfSparse();
            return Task.FromResult(doomed);
        }
    }
}
