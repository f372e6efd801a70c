using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Durability;

/// <summary>
/// Passes every call to <paramref name="inner"/>, except that the put of checkpoint <see cref="HoldId"/> signals
/// <see cref="Reached"/> and, when <see cref="Release"/> is set, reaches the inner store only after that gate opens
/// (a save still queued), or, with <see cref="Synchronously"/>, returns only then. <see cref="WriteSeen"/> is told of each pending write before the inner store gets it.
/// </summary>
internal sealed class HeldPutCheckpointer(ICheckpointer inner) : ICheckpointer
{
    public long HoldId { get; set; } = -1;

    public TaskCompletionSource Reached { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource? Release { get; set; }

    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        if (checkpoint.Id != HoldId)
        {
            return inner.PutAsync(checkpoint, durability, cancellationToken);
        }

        Reached.TrySetResult();
        if (Release is { } release && Synchronously)
        {
            // A store doing slow work before it returns its task: the caller's thread waits here (bounded).
            if (!release.Task.Wait(Support.Wait.Timeout))
            {
                throw new TimeoutException($"The held put of checkpoint {HoldId} was never released.");
            }

            return inner.PutAsync(checkpoint, durability, cancellationToken);
        }

        return Release is { } gate
            ? HoldAsync(gate.Task, () => inner.PutAsync(checkpoint, durability, cancellationToken))
            : inner.PutAsync(checkpoint, durability, cancellationToken);
    }

    /// <summary>With <see cref="Release"/> set, whether the held put blocks its caller until released instead of returning a pending task.</summary>
    public bool Synchronously { get; set; }

    public Action<PendingWrite>? WriteSeen { get; set; }

    /// <summary>When set, every write call returns a task pending until this completes (then the write is made).</summary>
    public Task? HoldWrites { get; set; }

    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        foreach (var write in writes)
        {
            WriteSeen?.Invoke(write);
        }

        return HoldWrites is { } hold
            ? HoldAsync(hold, () => inner.PutWritesAsync(threadId, checkpointId, writes, cancellationToken))
            : inner.PutWritesAsync(threadId, checkpointId, writes, cancellationToken);
    }

    public Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default) =>
        inner.GetAsync(threadId, checkpointId, cancellationToken);

    public Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(threadId, limit, before, cancellationToken);

    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default) => inner.ListThreadsAsync(cancellationToken);

    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default) => inner.DeleteThreadAsync(threadId, cancellationToken);

    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default) =>
        inner.CopyThreadAsync(sourceThreadId, targetThreadId, cancellationToken);

    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default) =>
        inner.PruneAsync(threadId, keepLast, cancellationToken);

    private static async Task HoldAsync(Task release, Func<Task> put)
    {
        await release.ConfigureAwait(false);
        await put().ConfigureAwait(false);
    }
}
