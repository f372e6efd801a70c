using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A thread-safe <see cref="ICheckpointer"/> that keeps everything in process memory: the default for tests
/// and for runs that need history and interrupts but no durability. Every call completes synchronously, so
/// durability modes make no difference; it copies the bytes it is given. The runner's states and updates of a small
/// immutable type (a primitive number, <see langword="bool"/>, <see langword="char"/>, an enum, a date or time span) are
/// kept as their bits and serialized when read (docs/durability.md, "In-memory store").
/// </summary>
/// <remarks>
/// Each checkpoint is kept as one compact record, in a slot of a store-wide array in chunks (not as an object of its
/// own, so keeping many runs costs the GC little), sharing what repeats with the checkpoint before it; a thread's
/// history is the list of its slots in id order (ids only grow), so a put, the latest checkpoint and a pending write
/// against the latest are O(1), a lookup by id a binary search. A <see cref="Checkpoint"/> is built when one is read.
/// </remarks>
[DebuggerDisplay("{threads.Count} thread(s)")]
public sealed partial class InMemoryCheckpointer : ICheckpointer, IOwnedCheckpointSink, ICheckpointRollback, ICheckpointDeletion
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, History> threads = new(StringComparer.Ordinal);
    private KeptLog log = new();

    /// <summary>
    /// The shape of the checkpoint put last: a new thread's first checkpoint shares it when it holds the same parts, so
    /// the runs of one graph, each on a thread of its own, keep one shape between them (<see cref="KeptShape"/>).
    /// </summary>
    private KeptShape? lastShape;

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var writes = checkpoint.PendingWrites.Count == 0 ? null : Checkpoint.Detach(checkpoint.PendingWrites);
        var (kept, shape) = Kept.Copied(checkpoint);
        return Put(checkpoint.ThreadId, kept, shape, writes);
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
        var (kept, shape) = Kept.Owned(checkpoint);
        return Put(checkpoint.ThreadId, kept, shape, checkpoint.PendingWrites.Count == 0 ? null : [.. checkpoint.PendingWrites]);
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

            var at = checkpointId is { } id ? history.IndexOf(log, id) : history.Count - 1;
            return Task.FromResult(at < 0 ? null : log[history[at]].ToCheckpoint(threadId));
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
                ref readonly var kept = ref log[history[i]];
                if (before is not { } bound || kept.Id < bound)
                {
                    result.Add(kept.ToCheckpoint(threadId));
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

    /// <summary>Adds <paramref name="kept"/> to thread <paramref name="threadId"/>, sharing what repeats from the checkpoint before.</summary>
    private Task Put(string threadId, Kept kept, in ShapeParts shape, PendingWrite[]? writes)
    {
        if (writes is not null)
        {
            ValidateWrites(writes);
            kept.Merge(writes);
        }

        lock (gate)
        {
            // A kept history is never empty: the thread goes with its last checkpoint.
            ref var history = ref CollectionsMarshal.GetValueRefOrNullRef(threads, threadId);
            var known = !Unsafe.IsNullRef(ref history);
            if (known && log[history.Latest].Id is var latest && latest >= kept.Id)
            {
                return Task.FromException(Checkpoint.OutOfOrder(threadId, kept.Id, latest));
            }

            if (kept.ParentId is { } parent && (!known || history.IndexOf(log, parent) < 0))
            {
                return Task.FromException(Checkpoint.MissingParent(threadId, kept.Id, parent));
            }

            if (!known)
            {
                history = ref CollectionsMarshal.GetValueRefOrAddDefault(threads, threadId, out _);
                kept.SetShape(lastShape, shape);
            }
            else
            {
                ref readonly var previous = ref log[history.Latest];
                kept.SetShape(previous.Shape, shape);
                kept.ShareWith(in previous);
            }

            lastShape = kept.Shape;
            history.Add(log.Add(kept));
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
            var slot = Find(threadId, checkpointId);
            if (slot < 0)
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            log[slot].Merge(writes);
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
            var slot = Find(threadId, checkpointId);
            if (slot < 0)
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            log[slot].Merge(taskId, node, kind, payload, bits);
        }

        return Task.CompletedTask;
    }

    /// <summary>The slot of checkpoint <paramref name="checkpointId"/> of <paramref name="threadId"/>, or -1 (caller holds the lock).</summary>
    private int Find(string threadId, long checkpointId) =>
        threads.TryGetValue(threadId, out var history) && history.IndexOf(log, checkpointId) is var at && at >= 0 ? history[at] : -1;

    /// <summary>After deletes: moves the records into a smaller log when at most a quarter of the slots are in use (caller holds the lock).</summary>
    private void CompactIfSparse()
    {
        if (log.IsSparse)
        {
            log = KeptLog.Compact(log, threads);
        }
    }
}
