using Graph.Engine.Graphs;

namespace Graph.Engine.Orleans;

/// <summary>A thread's state and history: read, update, fork (as on <see cref="CompiledGraph{TState, TUpdate}"/>).</summary>
public sealed partial class ClusterGraph<TState, TUpdate>
{
    /// <summary>Reads a thread's state at its latest checkpoint or at <paramref name="checkpointId"/>.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint, or null for the latest.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshot, or null when the thread or checkpoint does not exist.</returns>
    public async Task<StateSnapshot<TState>?> GetStateAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        var snapshot = await RetryAsync(() => grain.GetStateAsync(Name, checkpointId), cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : codec.Decode<TState>(snapshot);
    }

    /// <summary>Lists a thread's snapshots, newest first.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="limit">At most this many, or null for all.</param>
    /// <param name="before">Only checkpoints older than this id, or null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshots, newest first.</returns>
    public async Task<IReadOnlyList<StateSnapshot<TState>>> GetStateHistoryAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        var snapshots = await RetryAsync(() => grain.GetStateHistoryAsync(Name, limit, before), cancellationToken).ConfigureAwait(false);
        return [.. snapshots.Select(codec.Decode<TState>)];
    }

    /// <summary>Applies <paramref name="update"/> to a thread as if node <paramref name="asNode"/> had returned it (once, even when retried).</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="update">The update.</param>
    /// <param name="asNode">The node the update is attributed to.</param>
    /// <param name="checkpointId">The checkpoint to update from, or null for the latest.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight.</exception>
    public async Task<StateSnapshot<TState>> UpdateStateAsync(string threadId, TUpdate update, string asNode, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentException.ThrowIfNullOrEmpty(asNode);
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        var callId = Guid.NewGuid().ToString("N");
        var bytes = codec.Encode(update);
        return codec.Decode<TState>(await RetryAsync(() => grain.UpdateStateAsync(Name, callId, bytes, asNode, checkpointId), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Makes an older checkpoint the thread's latest again (a copy whose parent is it), once even when retried.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint to fork from.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight.</exception>
    public async Task<StateSnapshot<TState>> ForkAsync(string threadId, long checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        var callId = Guid.NewGuid().ToString("N");
        return codec.Decode<TState>(await RetryAsync(() => grain.ForkAsync(Name, callId, checkpointId), cancellationToken).ConfigureAwait(false));
    }
}
