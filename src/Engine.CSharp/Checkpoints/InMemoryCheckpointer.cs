using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A thread-safe <see cref="ICheckpointer"/> that keeps everything in process memory: the default for tests
/// and for runs that need history and interrupts but no durability. Every call completes synchronously, so
/// durability modes make no difference; it copies the bytes it is given. The runner's states and updates of a small
/// immutable type (a primitive number, <see langword="bool"/>, <see langword="char"/>, an enum, a date or time span) are
/// kept as their bits and serialized when read (docs/durability.md, "In-memory store").
/// </summary>
/// <remarks>
/// A thread's history is a list in id order (ids only grow), so a put, the latest checkpoint and a pending write
/// against the latest are O(1); a lookup by id is a binary search. Each checkpoint is kept as one compact object
/// that shares what repeats with the checkpoint before it; a <see cref="Checkpoint"/> is built when one is read.
/// </remarks>
[DebuggerDisplay("{threads.Count} thread(s)")]
public sealed partial class InMemoryCheckpointer : ICheckpointer, IOwnedCheckpointSink, ICheckpointRollback, ICheckpointDeletion
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Kept>> threads = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var writes = checkpoint.PendingWrites.Count == 0 ? null : Checkpoint.Detach(checkpoint.PendingWrites);
        return Put(checkpoint.ThreadId, Kept.Copied(checkpoint), writes);
    }

    /// <inheritdoc />
    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentNullException.ThrowIfNull(writes);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        return AddWrites(threadId, checkpointId, Checkpoint.Detach(writes));
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutOwnedAsync(Checkpoint checkpoint, CheckpointDurability durability)
    {
        Checkpoint.Validate(checkpoint);
        return Put(checkpoint.ThreadId, Kept.Owned(checkpoint), checkpoint.PendingWrites.Count == 0 ? null : [.. checkpoint.PendingWrites]);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutWriteOwnedAsync(string threadId, long checkpointId, PendingWrite write)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentNullException.ThrowIfNull(write);
        return AddWrite(threadId, checkpointId, write.TaskId, write.Node, write.Kind, Kept.WholeArray(write.Payload), 0);
    }

    /// <inheritdoc />
    public Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Checkpoint?>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history) || history.Count == 0)
            {
                return Task.FromResult<Checkpoint?>(null);
            }

            var at = checkpointId is { } id ? IndexOf(history, id) : history.Count - 1;
            return Task.FromResult(at < 0 ? null : history[at].ToCheckpoint(threadId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit cannot be negative.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<Checkpoint>>(cancellationToken);
        }

        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history))
            {
                return Task.FromResult<IReadOnlyList<Checkpoint>>([]);
            }

            var result = new List<Checkpoint>();
            var max = limit ?? int.MaxValue;
            for (var i = history.Count - 1; i >= 0 && result.Count < max; i--)
            {
                if (before is not { } bound || history[i].Id < bound)
                {
                    result.Add(history[i].ToCheckpoint(threadId));
                }
            }

            return Task.FromResult<IReadOnlyList<Checkpoint>>(result.ToArray());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<string>>(cancellationToken);
        }

        lock (gate)
        {
            IReadOnlyList<string> result = threads.Keys.Order(StringComparer.Ordinal).ToArray();
            return Task.FromResult(result);
        }
    }

    /// <summary>The position of checkpoint <paramref name="id"/> in <paramref name="history"/> (ids ascend), or -1.</summary>
    private static int IndexOf(List<Kept> history, long id)
    {
        if (history.Count > 0 && history[^1].Id == id)
        {
            return history.Count - 1;
        }

        int low = 0, high = history.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var at = history[mid].Id;
            if (at == id)
            {
                return mid;
            }

            if (at < id)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>Adds <paramref name="kept"/> to thread <paramref name="threadId"/>, then shares what repeats from the checkpoint before.</summary>
    private Task Put(string threadId, Kept kept, PendingWrite[]? writes)
    {
        if (writes is not null)
        {
            ValidateWrites(writes);
            kept.Merge(writes);
        }

        Kept? previous = null;
        lock (gate)
        {
            // A kept history is never empty: the thread goes with its last checkpoint.
            var known = threads.TryGetValue(threadId, out var history);
            if (known && history![^1].Id is var latest && latest >= kept.Id)
            {
                return Task.FromException(Checkpoint.OutOfOrder(threadId, kept.Id, latest));
            }

            if (kept.ParentId is { } parent && (!known || IndexOf(history!, parent) < 0))
            {
                return Task.FromException(Checkpoint.MissingParent(threadId, kept.Id, parent));
            }

            if (!known)
            {
                history = [];
                threads.Add(threadId, history);
            }
            else
            {
                previous = history![^1];
            }

            history!.Add(kept);
        }

        if (previous is not null)
        {
            kept.ShareWith(previous);
        }

        return Task.CompletedTask;
    }

    private static void ValidateWrites(PendingWrite[] writes)
    {
        foreach (var write in writes)
        {
            ArgumentNullException.ThrowIfNull(write);
            ArgumentNullException.ThrowIfNull(write.TaskId);
            ArgumentNullException.ThrowIfNull(write.Node);
        }
    }

    private Task AddWrites(string threadId, long checkpointId, PendingWrite[] writes)
    {
        ValidateWrites(writes);
        lock (gate)
        {
            if (Find(threadId, checkpointId) is not { } kept)
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            kept.Merge(writes);
        }

        return Task.CompletedTask;
    }

    /// <summary>Adds one write; <paramref name="payload"/> is its bytes, or the <see cref="InlineValue"/> of <paramref name="bits"/>.</summary>
    private Task AddWrite(string threadId, long checkpointId, string taskId, string node, PendingWriteKind kind, object payload, long bits)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(node);
        lock (gate)
        {
            if (Find(threadId, checkpointId) is not { } kept)
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            kept.Merge(taskId, node, kind, payload, bits);
        }

        return Task.CompletedTask;
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> of <paramref name="threadId"/>, or null (caller holds the lock).</summary>
    private Kept? Find(string threadId, long checkpointId) =>
        threads.TryGetValue(threadId, out var history) && IndexOf(history, checkpointId) is var at && at >= 0 ? history[at] : null;
}
