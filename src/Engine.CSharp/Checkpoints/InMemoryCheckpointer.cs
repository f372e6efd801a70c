using System.Diagnostics;
using Graph.Engine.Checkpoints.Storage;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A thread-safe <see cref="ICheckpointer"/> that keeps everything in process memory: the default for tests
/// and for runs that need history and interrupts but no durability. Every call completes synchronously, so
/// durability modes make no difference; it copies the bytes it is given.
/// </summary>
/// <remarks>
/// <para>
/// Each thread's checkpoints and pending writes are kept encoded in one byte buffer, not as objects, so a store holding
/// many runs' histories costs the garbage collector almost nothing to trace; reads decode a fresh
/// <see cref="Checkpoint"/> each time. Consecutive checkpoints with equal <see cref="CheckpointMetadata.Properties"/>
/// (a run's id and graph fingerprint) keep them once.
/// </para>
/// <para>
/// A thread's history is in id order (ids only grow), so a put, the latest checkpoint and a pending write against the
/// latest are O(1); a lookup by id is a binary search. Deleting checkpoints (pruning, retention) rewrites a thread's
/// buffer once more than half of it is deleted records.
/// </para>
/// </remarks>
[DebuggerDisplay("{threads.Count} thread(s)")]
public sealed partial class InMemoryCheckpointer : ICheckpointer, IOwnedCheckpointSink, ICheckpointRollback, ICheckpointDeletion
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, History> threads = new(StringComparer.Ordinal);
    private History? lastCreated;
    private (int Bytes, int Records) lastSize;

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        return Put(checkpoint);
    }

    /// <inheritdoc />
    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        Checkpoint.ValidateThreadId(threadId);
        ArgumentNullException.ThrowIfNull(writes);
        ValidateWrites(writes);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var buffer = CheckpointBuffers.Rent();
        try
        {
            for (var i = 0; i < writes.Count; i++)
            {
                ArenaCodec.EncodeWrite(buffer, writes[i]);
            }

            return AddWrites(threadId, checkpointId, buffer.WrittenSpan);
        }
        finally
        {
            CheckpointBuffers.Return(buffer);
        }
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutOwnedAsync(Checkpoint checkpoint, CheckpointDurability durability)
    {
        Checkpoint.Validate(checkpoint);
        return Put(checkpoint);
    }

    /// <inheritdoc />
    Task IOwnedCheckpointSink.PutWriteOwnedAsync(string threadId, long checkpointId, PendingWrite write)
    {
        Checkpoint.ValidateThreadId(threadId);
        ValidateWrite(write);
        var buffer = CheckpointBuffers.Rent();
        try
        {
            ArenaCodec.EncodeWrite(buffer, write);
            return AddWrites(threadId, checkpointId, buffer.WrittenSpan);
        }
        finally
        {
            CheckpointBuffers.Return(buffer);
        }
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

            var at = checkpointId is { } id ? history.IndexOf(id) : history.Count - 1;
            return Task.FromResult(at < 0 ? null : history.Read(at));
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
                if (before is not { } bound || history.IdAt(i) < bound)
                {
                    result.Add(history.Read(i));
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

    /// <summary>Encodes <paramref name="checkpoint"/> (outside the lock) and appends it to its thread.</summary>
    private Task Put(Checkpoint checkpoint)
    {
        ValidateWrites(checkpoint.PendingWrites);
        var buffer = CheckpointBuffers.Rent();
        try
        {
            var properties = ArenaCodec.EncodeCheckpoint(buffer, checkpoint);
            var recordLength = buffer.WrittenCount;
            foreach (var write in checkpoint.PendingWrites)
            {
                ArenaCodec.EncodeWrite(buffer, write);
            }

            var encoded = buffer.WrittenSpan;
            lock (gate)
            {
                if (!threads.TryGetValue(checkpoint.ThreadId, out var history))
                {
                    if (checkpoint.ParentId is not null)
                    {
                        return Task.FromException(Checkpoint.MissingParent(checkpoint));
                    }

                    history = NewHistory(checkpoint.ThreadId);
                    history.Add(checkpoint.Id, encoded[..recordLength], properties, encoded[recordLength..]);
                    threads.Add(checkpoint.ThreadId, history);
                    return Task.CompletedTask;
                }

                if (history.Count > 0 && history.LatestId is var latest && latest >= checkpoint.Id)
                {
                    return Task.FromException(Checkpoint.OutOfOrder(checkpoint, latest));
                }

                if (checkpoint.ParentId is { } parent && history.IndexOf(parent) < 0)
                {
                    return Task.FromException(Checkpoint.MissingParent(checkpoint));
                }

                history.Add(checkpoint.Id, encoded[..recordLength], properties, encoded[recordLength..]);
            }

            return Task.CompletedTask;
        }
        catch (CheckpointStoreException ex)
        {
            return Task.FromException(ex);
        }
        finally
        {
            CheckpointBuffers.Return(buffer);
        }
    }

    /// <summary>
    /// A new thread's history, sized like the thread created before it: runs of one graph write histories of about
    /// the same size, which then do not grow (and reallocate) step by step. Called under the lock.
    /// </summary>
    private History NewHistory(string threadId)
    {
        if (lastCreated is { } last)
        {
            lastSize = (last.LiveBytes, last.Count);
        }

        return lastCreated = new History(threadId, lastSize.Bytes, lastSize.Records);
    }

    /// <summary>Forgets <paramref name="removed"/> as the size example once its thread is deleted (keeping its size). Called under the lock.</summary>
    private void Forget(History removed)
    {
        if (removed == lastCreated)
        {
            lastSize = (removed.LiveBytes, removed.Count);
            lastCreated = null;
        }
    }

    private static void ValidateWrites(IReadOnlyList<PendingWrite> writes)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            ValidateWrite(writes[i]);
        }
    }

    private static void ValidateWrite(PendingWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(write.TaskId);
        ArgumentNullException.ThrowIfNull(write.Node);
    }

    private Task AddWrites(string threadId, long checkpointId, ReadOnlySpan<byte> writes)
    {
        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history) || history.IndexOf(checkpointId) is var at && at < 0)
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            try
            {
                history.AddWrites(at, writes);
            }
            catch (CheckpointStoreException ex)
            {
                return Task.FromException(ex);
            }
        }

        return Task.CompletedTask;
    }
}
