using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// A thread-safe <see cref="ICheckpointer"/> that keeps everything in process memory: the default for tests
/// and for runs that need history and interrupts but no durability. Every call completes synchronously, so
/// durability modes make no difference; it copies the bytes it is given.
/// </summary>
[DebuggerDisplay("{threads.Count} thread(s)")]
public sealed class InMemoryCheckpointer : ICheckpointer
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedDictionary<long, Entry>> threads = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var entry = new Entry(checkpoint.Detach() with { PendingWrites = [] });
        PendingWrites.Merge(entry.Writes, Checkpoint.Detach(checkpoint.PendingWrites));
        lock (gate)
        {
            if (!threads.TryGetValue(checkpoint.ThreadId, out var history))
            {
                history = [];
                threads.Add(checkpoint.ThreadId, history);
            }
            else if (history.Count > 0 && history.Keys.Last() is var latest && latest >= checkpoint.Id)
            {
                return Task.FromException(Checkpoint.OutOfOrder(checkpoint, latest));
            }

            history.Add(checkpoint.Id, entry);
        }

        return Task.CompletedTask;
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

        var frozen = Checkpoint.Detach(writes);
        lock (gate)
        {
            if (!threads.TryGetValue(threadId, out var history) || !history.TryGetValue(checkpointId, out var entry))
            {
                return Task.FromException(Checkpoint.UnknownCheckpoint(threadId, checkpointId));
            }

            PendingWrites.Merge(entry.Writes, frozen);
        }

        return Task.CompletedTask;
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

            var entry = checkpointId is { } id
                ? history.GetValueOrDefault(id)
                : history.Values.Last();
            return Task.FromResult(entry?.ToCheckpoint());
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

            IReadOnlyList<Checkpoint> result = history.Values
                .Reverse()
                .Where(entry => before is not { } bound || entry.Checkpoint.Id < bound)
                .Take(limit ?? int.MaxValue)
                .Select(entry => entry.ToCheckpoint())
                .ToArray();
            return Task.FromResult(result);
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

            var copy = new SortedDictionary<long, Entry>();
            foreach (var (id, entry) in source)
            {
                var clone = new Entry(entry.Checkpoint with { ThreadId = targetThreadId });
                clone.Writes.AddRange(entry.Writes);
                copy.Add(id, clone);
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

            var doomed = history.Keys.Take(history.Count - keepLast).ToArray();
            foreach (var id in doomed)
            {
                history.Remove(id);
            }

            return Task.FromResult(doomed.Length);
        }
    }

    private sealed class Entry(Checkpoint checkpoint)
    {
        public Checkpoint Checkpoint { get; } = checkpoint;

        public List<PendingWrite> Writes { get; } = [];

        public Checkpoint ToCheckpoint() => Checkpoint with { PendingWrites = Writes.ToArray() };
    }
}
