using System.Threading.Channels;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>Starting runs: the one run gate (<see cref="GraphCompileOptions.MaxConcurrentRuns"/>) and the one run factory.</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private CheckpointRecordCache? recordCache;

    /// <summary>Checkpoint records shared by the persisted runs of this graph (created with the first one).</summary>
    private CheckpointRecordCache RecordCache => recordCache ??= new CheckpointRecordCache(Model.Nodes.Length) { Fingerprint = Fingerprint };

    /// <summary>The one run gate: admits the run on its thread (<see cref="MultitaskStrategy"/>), waits for a run slot (if limited), prepares persistence (loading the thread) and starts the run; slot and thread are released when the run completes. A value task: a run whose thread and store answer at once (the in-memory store) starts without a task allocated for its start.</summary>
    private async ValueTask<GraphRun<TState, TUpdate>> ExecuteAsync(RunStart start, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        var ticket = await AdmitAsync(runOptions, events, cancellationToken).ConfigureAwait(false);
        if (runGate is not null)
        {
            try
            {
                await runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ticket?.Release();
                events?.TryComplete();
                throw;
            }
        }

        try
        {
            var run = await CreateRunAsync(start, runOptions, events, cancellationToken).ConfigureAwait(false);
            Attach(ticket, run);
            if (runGate is not null)
            {
                _ = run.Completion.ContinueWith(static (_, gate) => ((SemaphoreSlim)gate!).Release(), runGate, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return run;
        }
        catch (Exception)
        {
            runGate?.Release();
            ticket?.Release();
            events?.TryComplete();
            throw;
        }
    }

    private async ValueTask<GraphRun<TState, TUpdate>> CreateRunAsync(RunStart start, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, CancellationToken cancellationToken)
    {
        var threadId = runOptions?.ThreadId;
        var store = options.Checkpointer;
        if (store is null || threadId is null)
        {
            if (start.IsResume)
            {
                throw new InvalidOperationException("ResumeAsync needs GraphCompileOptions.Checkpointer and a thread id.");
            }

            return NewRun(start.Input, runOptions, events, null).Started(cancellationToken);
        }

        var durability = runOptions?.Durability ?? options.Durability;
        var latest = await store.GetAsync(threadId, null, cancellationToken).ConfigureAwait(false);
        if (!start.IsResume)
        {
            var fresh = NewPersistence(store, durability, threadId, latest?.Id ?? 0, latest?.Id);
            return NewRun(start.Input, runOptions, events, fresh).Started(cancellationToken);
        }

        if (latest is null)
        {
            throw new InvalidOperationException($"Thread '{threadId}' has no checkpoint to resume.");
        }

        var from = Admit(latest);
        if (runOptions!.CheckpointId is { } id && id != latest.Id)
        {
            from = Admit(await store.GetAsync(threadId, id, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"Thread '{threadId}' has no checkpoint {id}.", nameof(runOptions)));
            _ = from.ReadState<TState>(options.Serializer);
            ThrowIfFinished(from);
            from = await ForkCoreAsync(store, from, latest.Id + 1, cancellationToken).ConfigureAwait(false);
        }

        var state = from.ReadState<TState>(options.Serializer);
        ThrowIfFinished(from);
        var persistence = NewPersistence(store, durability, threadId, from.Id, from.Id);
        var resumed = NewRun(state, runOptions, events, persistence);
        resumed.StartFrom(from, start.Resume ?? Resume.Continue, cancellationToken);
        return resumed;
    }

    /// <summary>
    /// The one run factory: every run (new, resumed, or a state update's) is built here. A run without persistence
    /// cannot stop at a static interrupt, so asking for one fails here.
    /// </summary>
    internal GraphRun<TState, TUpdate> NewRun(TState input, RunOptions? runOptions, ChannelWriter<GraphEvent>? events, RunPersistence? persistence)
    {
        if (persistence is null && (options.InterruptBefore.Count > 0 || options.InterruptAfter.Count > 0 || runOptions?.InterruptBefore is { Count: > 0 } || runOptions?.InterruptAfter is { Count: > 0 }))
        {
            throw new InvalidOperationException("InterruptBefore/InterruptAfter need GraphCompileOptions.Checkpointer and RunOptions.ThreadId, so the run can be resumed.");
        }

        if (Model.Control.Drain.IsDraining)
        {
            throw new InvalidOperationException("The graph is draining (DrainAsync was called): it starts no new runs. Start them on another instance of the graph.");
        }

        return new GraphRun<TState, TUpdate>(runShared, input, runOptions, events, persistence);
    }

    /// <summary>The persistence of one run on <paramref name="threadId"/>, whose checkpoints follow <paramref name="latestId"/>.</summary>
    private RunPersistence NewPersistence(ICheckpointer store, CheckpointDurability durability, string threadId, long latestId, long? parentId) =>
        new(store, options.Serializer, durability, threadId, options.TimeProvider, latestId, parentId, RecordCache);

    private readonly record struct RunStart(bool IsResume, TState Input, Resume? Resume)
    {
        public static RunStart New(TState input) => new(false, input, null);

        public static RunStart Continue(Resume? resume) => new(true, default!, resume);
    }
}
