using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>A thread's history: inspect its state and checkpoints, update its state, fork it (docs/durability.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>The thread's state at its latest checkpoint, or at <paramref name="checkpointId"/>.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">A checkpoint id; null for the latest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or null when the thread or checkpoint does not exist.</returns>
    /// <exception cref="InvalidOperationException">The graph has no checkpointer.</exception>
    /// <exception cref="CheckpointStoreException">The checkpoint holds another state type, or the store failed.</exception>
    public async Task<StateSnapshot<TState>?> GetStateAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        var checkpoint = await Store().GetAsync(threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        return checkpoint is null ? null : Snapshot(checkpoint);
    }

    /// <summary>The thread's checkpoints, newest first (every branch, by id).</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="limit">At most this many; null for all.</param>
    /// <param name="before">Only checkpoints with a smaller id; null for no bound.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshots.</returns>
    /// <exception cref="InvalidOperationException">The graph has no checkpointer.</exception>
    public async Task<IReadOnlyList<StateSnapshot<TState>>> GetStateHistoryAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        var list = await Store().ListAsync(threadId, limit, before, cancellationToken).ConfigureAwait(false);
        return [.. list.Select(Snapshot)];
    }

    /// <summary>
    /// Writes <paramref name="update"/> into the thread as if node <paramref name="asNode"/> had returned it: the
    /// reducer applies it to the state of the latest checkpoint (or <paramref name="checkpointId"/>: a branch), the next
    /// tasks follow from that node's edges, joins and routers (<see cref="StateGraph.Start"/>: from START's), and a new
    /// checkpoint with <see cref="CheckpointSource.Update"/> whose parent is that checkpoint becomes the latest.
    /// Pending writes of the old checkpoint are not carried over. Resume the thread to run the planned tasks.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="update">The update.</param>
    /// <param name="asNode">The node the update is attributed to.</param>
    /// <param name="checkpointId">The checkpoint to branch from; null for the latest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The new checkpoint's snapshot.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="ArgumentException">Unknown node or checkpoint.</exception>
    public Task<StateSnapshot<TState>> UpdateStateAsync(string threadId, TUpdate update, string asNode, long? checkpointId = null, CancellationToken cancellationToken = default) =>
        UpdateStateAsRunAsync(threadId, update, asNode, checkpointId, runId: null, cancellationToken);

    /// <summary>As the public overload, stamping <paramref name="runId"/> (when given) as the new checkpoint's run id (a host's call id).</summary>
    internal async Task<StateSnapshot<TState>> UpdateStateAsRunAsync(string threadId, TUpdate update, string asNode, long? checkpointId, string? runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(asNode);
        var store = Store();
        var (latest, from) = await LoadAsync(store, threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        var state = from.ReadState<TState>(options.Serializer);
        var persistence = NewPersistence(store, options.Durability, threadId, latest.Id, from.Id);
        var run = NewRun(state, new RunOptions { ThreadId = threadId, RunId = runId }, null, persistence);
        var id = await run.ApplyUpdateAsync(from, update, asNode).ConfigureAwait(false);
        return Snapshot((await store.GetAsync(threadId, id, cancellationToken).ConfigureAwait(false))!);
    }

    /// <summary>
    /// Forks the thread at <paramref name="checkpointId"/>: a copy of that checkpoint (state, planned tasks, join progress;
    /// no pending writes) becomes the thread's latest, with <see cref="CheckpointSource.Fork"/> and that checkpoint as
    /// parent. Older checkpoints are untouched. Resume the thread to run from there, or update its state first.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint to fork.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The fork's snapshot.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="ArgumentException">Unknown checkpoint.</exception>
    public Task<StateSnapshot<TState>> ForkAsync(string threadId, long checkpointId, CancellationToken cancellationToken = default) =>
        ForkAsRunAsync(threadId, checkpointId, runId: null, cancellationToken);

    /// <summary>As the public overload, stamping <paramref name="runId"/> (when given) as the fork's run id (a host's call id).</summary>
    internal async Task<StateSnapshot<TState>> ForkAsRunAsync(string threadId, long checkpointId, string? runId, CancellationToken cancellationToken)
    {
        var store = Store();
        var (latest, from) = await LoadAsync(store, threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        _ = from.ReadState<TState>(options.Serializer);
        if (runId is not null)
        {
            @from = @from with { Metadata = @from.Metadata with { Properties = new Dictionary<string, string>(@from.Metadata.Properties, StringComparer.Ordinal) { ["run_id"] = runId } } };
        }

        var fork = await ForkCoreAsync(store, from, latest.Id + 1, cancellationToken).ConfigureAwait(false);
        return Snapshot(fork);
    }

    private ICheckpointer Store() =>
        options.Checkpointer ?? throw new InvalidOperationException("This graph has no checkpointer: set GraphCompileOptions.Checkpointer.");

    private async Task<(Checkpoint Latest, Checkpoint From)> LoadAsync(ICheckpointer store, string threadId, long? checkpointId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var latest = await store.GetAsync(threadId, null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Thread '{threadId}' has no checkpoint.");
        if (checkpointId is not { } id || id == latest.Id)
        {
            return (latest, latest);
        }

        var from = await store.GetAsync(threadId, id, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"Thread '{threadId}' has no checkpoint {id}.", nameof(checkpointId));
        return (latest, from);
    }

    private async Task<Checkpoint> ForkCoreAsync(ICheckpointer store, Checkpoint from, long id, CancellationToken cancellationToken)
    {
        var fork = @from with
        {
            Id = id,
            ParentId = @from.Id,
            PendingWrites = [],
            Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork, Properties = @from.Metadata.Properties },
            CreatedAt = options.TimeProvider.GetUtcNow(),
        };
        var durability = options.Durability == CheckpointDurability.Async ? CheckpointDurability.Async : CheckpointDurability.PerStepSync;
        await store.PutAsync(fork, durability, cancellationToken).ConfigureAwait(false);
        return fork;
    }

    private StateSnapshot<TState> Snapshot(Checkpoint checkpoint)
    {
        var position = checkpoint.NextTasks.Select((t, i) => (t.TaskId, i)).ToDictionary(p => p.TaskId, p => p.i, StringComparer.Ordinal);
        var completed = checkpoint.PendingWrites
            .Where(w => w.Kind == PendingWriteKind.Update && position.ContainsKey(w.TaskId))
            .Select(w => w.TaskId)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(id => position[id])
            .ToArray();
        var (values, next, errors) = StoppedStep(checkpoint, position, completed);
        var interrupts = checkpoint.PendingWrites
            .Where(w => w.Kind == PendingWriteKind.Interrupt && position.ContainsKey(w.TaskId) && !completed.Contains(w.TaskId, StringComparer.Ordinal))
            .OrderBy(w => position[w.TaskId])
            .Select(w => CheckpointCodec.DecodeInterrupt(options.Serializer, w).Interrupt)
            .ToArray();
        return new StateSnapshot<TState>(
            checkpoint.ThreadId,
            checkpoint.Id,
            checkpoint.ParentId,
            checkpoint.Step,
            values,
            next,
            completed,
            interrupts,
            checkpoint.Metadata,
            checkpoint.CreatedAt)
        {
            Errors = errors,
        };
    }

    private static void ThrowIfFinished(Checkpoint checkpoint)
    {
        if (checkpoint.NextTasks.Count == 0)
        {
            throw new GraphThreadFinishedException(checkpoint.ThreadId, checkpoint.Id);
        }
    }
}
