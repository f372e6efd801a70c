using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>Durable runs: resume, interrupts, state inspection, state updates and time travel (docs/durability.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private CheckpointRecordCache? recordCache;

    /// <summary>Checkpoint records shared by the persisted runs of this graph (created with the first one).</summary>
    private CheckpointRecordCache RecordCache => recordCache ??= new CheckpointRecordCache(Model.Nodes.Length);

    /// <summary>
    /// Runs the graph from <paramref name="input"/> like <see cref="InvokeAsync"/>, but reports an interrupt as a result
    /// (<see cref="GraphRunStatus.Interrupted"/> with the pending interrupts) instead of an exception.
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; set <see cref="RunOptions.ThreadId"/> to save checkpoints.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="NodeFailedException">A node failed after its last attempt (the thread stays resumable).</exception>
    /// <exception cref="CheckpointStoreException">The checkpointer failed.</exception>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public async Task<GraphRunResult<TState>> RunAsync(TState input, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var run = await ExecuteAsync(RunStart.New(input), runOptions, null, cancellationToken).ConfigureAwait(false);
        return await ResultOfAsync(run).ConfigureAwait(false);
    }

    /// <summary>
    /// Continues thread <paramref name="threadId"/> from its latest checkpoint (or <see cref="RunOptions.CheckpointId"/>,
    /// which is forked first when it is not the latest: replay). Planned tasks whose updates are recorded are not run
    /// again; interrupted tasks run again from their start and receive the resume values; static interrupts before
    /// the resumed step are not raised again. A thread whose latest checkpoint plans nothing has finished: that is a
    /// <see cref="GraphThreadFinishedException"/>, and nothing is written.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options (its <see cref="RunOptions.ThreadId"/> is replaced by <paramref name="threadId"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result: completed, or interrupted again.</returns>
    /// <exception cref="InvalidOperationException">No checkpointer, or the thread has no checkpoint.</exception>
    /// <exception cref="GraphThreadFinishedException">The thread has finished: the checkpoint to continue from plans no tasks (start a new run instead).</exception>
    /// <exception cref="ArgumentException">A resume value names no pending interrupt, or <see cref="Resume.With"/> was used with zero or several pending interrupts.</exception>
    /// <exception cref="CheckpointStoreException">The thread holds another state type, a node the graph lacks, or the store failed.</exception>
    /// <exception cref="NodeFailedException">A node failed after its last attempt.</exception>
    public async Task<GraphRunResult<TState>> ResumeAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        var run = await ExecuteAsync(RunStart.Continue(resume), (runOptions ?? new RunOptions()) with { ThreadId = threadId }, null, cancellationToken).ConfigureAwait(false);
        return await ResultOfAsync(run).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="ResumeAsync"/>, yielding the run's events as <see cref="StreamAsync"/> does.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="resume">Resume values; null is <see cref="Resume.Continue"/>.</param>
    /// <param name="runOptions">Run options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events; an interrupted run ends with <see cref="InterruptedEvent"/> and no exception. A finished
    /// thread yields nothing and the enumeration throws <see cref="GraphThreadFinishedException"/>.</returns>
    public IAsyncEnumerable<GraphEvent> StreamResumeAsync(string threadId, Resume? resume = null, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return StreamCoreAsync(RunStart.Continue(resume), (runOptions ?? new RunOptions()) with { ThreadId = threadId }, cancellationToken);
    }

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
    public async Task<StateSnapshot<TState>> UpdateStateAsync(string threadId, TUpdate update, string asNode, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(asNode);
        var store = Store();
        var (latest, from) = await LoadAsync(store, threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        var state = from.ReadState<TState>(options.Serializer);
        var persistence = new RunPersistence(store, options.Serializer, options.Durability, threadId, options.TimeProvider, latest.Id, from.Id, RecordCache);
        var run = new GraphRun<TState, TUpdate>(Model, executor, options, logger, state, new RunOptions { ThreadId = threadId }, null, CancellationToken.None, persistence);
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
    public async Task<StateSnapshot<TState>> ForkAsync(string threadId, long checkpointId, CancellationToken cancellationToken = default)
    {
        var store = Store();
        var (latest, from) = await LoadAsync(store, threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        _ = from.ReadState<TState>(options.Serializer);
        var fork = await ForkCoreAsync(store, from, latest.Id + 1, cancellationToken).ConfigureAwait(false);
        return Snapshot(fork);
    }

    private static async Task<GraphRunResult<TState>> ResultOfAsync(GraphRun<TState, TUpdate> run)
    {
        try
        {
            var state = await run.Completion.ConfigureAwait(false);
            return new GraphRunResult<TState>(GraphRunStatus.Completed, state, [], run.ThreadId, run.CheckpointId);
        }
        catch (GraphInterruptedException e)
        {
            return new GraphRunResult<TState>(GraphRunStatus.Interrupted, (TState)e.State!, e.Interrupts, e.ThreadId, e.CheckpointId);
        }
    }

    private bool IsPersisted(RunOptions? runOptions) => options.Checkpointer is not null && runOptions?.ThreadId is not null;

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
        var values = checkpoint.ReadState<TState>(options.Serializer);
        var position = checkpoint.NextTasks.Select((t, i) => (t.TaskId, i)).ToDictionary(p => p.TaskId, p => p.i, StringComparer.Ordinal);
        var completed = checkpoint.PendingWrites
            .Where(w => w.Kind == PendingWriteKind.Update && position.ContainsKey(w.TaskId))
            .Select(w => w.TaskId)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(id => position[id])
            .ToArray();
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
            [.. checkpoint.NextTasks.Select(t => t.Node)],
            completed,
            interrupts,
            checkpoint.Metadata,
            checkpoint.CreatedAt);
    }

    /// <summary>Waits for a run slot (if limited), prepares persistence (loading the thread) and starts the run.</summary>
    private async Task<GraphRun<TState, TUpdate>> ExecuteAsync(RunStart start, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        if (runGate is not null)
        {
            try
            {
                await runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                events?.TryComplete();
                throw;
            }
        }

        try
        {
            var run = await CreateRunAsync(start, runOptions, events, cancellationToken).ConfigureAwait(false);
            if (runGate is not null)
            {
                _ = run.Completion.ContinueWith(static (_, gate) => ((SemaphoreSlim)gate!).Release(), runGate, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return run;
        }
        catch (Exception)
        {
            runGate?.Release();
            events?.TryComplete();
            throw;
        }
    }

    private async Task<GraphRun<TState, TUpdate>> CreateRunAsync(RunStart start, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        var threadId = runOptions?.ThreadId;
        var store = options.Checkpointer;
        if (store is null || threadId is null)
        {
            if (start.IsResume)
            {
                throw new InvalidOperationException("ResumeAsync needs GraphCompileOptions.Checkpointer and a thread id.");
            }

            return StartRun(start.Input, runOptions, events, cancellationToken);
        }

        var durability = runOptions?.Durability ?? options.Durability;
        var latest = await store.GetAsync(threadId, null, cancellationToken).ConfigureAwait(false);
        if (!start.IsResume)
        {
            var fresh = new RunPersistence(store, options.Serializer, durability, threadId, options.TimeProvider, latest?.Id ?? 0, latest?.Id, RecordCache);
            var run = new GraphRun<TState, TUpdate>(Model, executor, options, logger, start.Input, runOptions, events, cancellationToken, fresh);
            run.Start();
            return run;
        }

        if (latest is null)
        {
            throw new InvalidOperationException($"Thread '{threadId}' has no checkpoint to resume.");
        }

        var from = latest;
        if (runOptions!.CheckpointId is { } id && id != latest.Id)
        {
            from = await store.GetAsync(threadId, id, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"Thread '{threadId}' has no checkpoint {id}.", nameof(runOptions));
            _ = from.ReadState<TState>(options.Serializer);
            ThrowIfFinished(from);
            from = await ForkCoreAsync(store, from, latest.Id + 1, cancellationToken).ConfigureAwait(false);
        }

        var state = from.ReadState<TState>(options.Serializer);
        ThrowIfFinished(from);
        var persistence = new RunPersistence(store, options.Serializer, durability, threadId, options.TimeProvider, from.Id, from.Id, RecordCache);
        var resumed = new GraphRun<TState, TUpdate>(Model, executor, options, logger, state, runOptions, events, cancellationToken, persistence);
        resumed.StartFrom(from, start.Resume ?? Resume.Continue);
        return resumed;
    }

    private static void ThrowIfFinished(Checkpoint checkpoint)
    {
        if (checkpoint.NextTasks.Count == 0)
        {
            throw new GraphThreadFinishedException(checkpoint.ThreadId, checkpoint.Id);
        }
    }

    private async IAsyncEnumerable<GraphEvent> StreamCoreAsync(RunStart start, RunOptions? runOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<GraphEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var completion = ExecuteAsync(start, runOptions, channel.Writer, stop.Token).ContinueWith(
            static t => t.GetAwaiter().GetResult().Completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observed below when the stream ran to its end; an abandoned stream swallows it.
            }
        }

        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (GraphInterruptedException)
        {
            // The stream ended with an InterruptedEvent: an interrupt is an outcome, not a failure, when streaming.
        }
    }

    private readonly record struct RunStart(bool IsResume, TState Input, Resume? Resume)
    {
        public static RunStart New(TState input) => new(false, input, null);

        public static RunStart Continue(Resume? resume) => new(true, default!, resume);
    }
}
