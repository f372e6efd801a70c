using Graph.Engine.Checkpoints;
using Graph.Engine.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// One run of a compiled graph: state, step, planner state (join progress), the current step's tasks and a countdown
/// of outstanding tasks. Executors claim tasks with <see cref="TryClaim"/> and run them with <see cref="RunTask"/>;
/// the report that brings the countdown to zero reduces the step, plans the next one and publishes it on its own
/// thread (no coordinator).
/// </summary>
/// <remarks>
/// One concept a file: this one is the run's start, its completion (the run is its own completion source) and what it
/// shares with its graph; <c>GraphRun.Extras.cs</c> holds its rarely used fields, <c>GraphRun.Ending.cs</c> is its
/// single end (finished, interrupted or failed), <c>GraphRun.Cancellation.cs</c> its token (cancel, timeout),
/// <c>RunEvents.cs</c> its event stream, <c>GraphRun.Claims.cs</c> hands a step's tasks out,
/// <c>GraphRun.StepTasks.cs</c> builds and holds the step's tasks and results, <c>GraphRun.Tasks.cs</c> runs tasks and
/// counts their reports, <c>GraphRun.Invoke.cs</c> calls a node under its policies, <c>GraphRun.Planner.cs</c> reduces
/// a step and plans the next (<c>GraphRun.SingleStep.cs</c> the common one-task step), <c>GraphRun.AfterSave.cs</c> goes on once its checkpoint is saved,
/// <c>GraphRun.Routing.cs</c> follows edges, joins and routes, <c>GraphRun.Checkpoints.cs</c> and
/// <c>GraphRun.Resume.cs</c> are its durability.
/// </remarks>
internal sealed partial class GraphRun<TState, TUpdate> : TaskCompletionSource<TState>, IGraphRun
{
    /// <summary>What the graph's runs share (model, executor, options, logger, static interrupts): one reference for all.</summary>
    private readonly GraphRunShared<TState, TUpdate> shared;
    private CancellationTokenSource? cts;

    /// <summary>Join progress: per join, the bits of its sources that have finished (kept with the run: read after it ends).</summary>
    private readonly ulong[] joinMasks;
    private TState state;
    private int step;
    private int outstanding;

    /// <summary><see cref="Finished"/> and <see cref="Failed"/>, set once each (one word: 4 bytes fewer than two).</summary>
    private int endFlags;

    /// <summary>
    /// The core stripe the run started on, read once (<see cref="RunDrain.Enter"/>): the stripe of the graph's live-run
    /// count it entered and leaves, of its caller's-token group, and the first its tasks try in a node's slots.
    /// </summary>
    private int coreStripe;
    private string? runId;

    public GraphRun(
        GraphRunShared<TState, TUpdate> shared,
        TState input,
        RunOptions? runOptions,
        ChannelWriter<GraphEvent>? events,
        RunPersistence? persistence = null)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        runId = runOptions?.RunId;
        this.shared = shared.For(runOptions);
        state = input;
        joinMasks = model.Joins.Length == 0 ? [] : new ulong[model.Joins.Length];
        if (persistence is not null)
        {
            Extras.Persistence = persistence;
        }

        if (events is not null)
        {
            Extras.EventWriter = events;
        }

        if (runOptions?.ThreadId is { } threadId)
        {
            Extras.ThreadId = threadId;
        }

        if (runOptions?.StepLimit is { } limit)
        {
            Extras.StepLimit = limit;
        }

        if (runOptions?.DrainToken is { CanBeCanceled: true } drain)
        {
            Extras.DrainToken = drain;
        }

        if (runOptions?.Timeout is { } t)
        {
            if (t != Timeout.InfiniteTimeSpan)
            {
                cts = new CancellationTokenSource(t, options.TimeProvider);
            }

            Extras.RunTimeout = t;
        }
    }

    private GraphModel<TState, TUpdate> model => shared.Model;

    private ITaskExecutor<TState, TUpdate> executor => shared.Executor;

    private GraphCompileOptions options => shared.Options;

    private ILogger logger => shared.Logger;

    private IReadOnlyList<string> interruptBefore => shared.InterruptBefore;

    private IReadOnlyList<string> interruptAfter => shared.InterruptAfter;

    /// <summary>The run's event stream (a view over its writer, built per use).</summary>
    private RunEvents<TState, TUpdate> events => new(eventWriter, this);

    /// <summary>Completes with the final state, or faults/cancels with the run's error (the run is its own completion source: one object fewer per run).</summary>
    public Task<TState> Completion => Task;

    /// <summary>The run id; generated on first use when none was given (the text of <see cref="RunNumber"/>).</summary>
    public string RunId
    {
        get
        {
            var id = Volatile.Read(ref runId);
            if (id is null)
            {
                // A run with persistence has its rare fields from the start: its id is the text of the number its checkpoints
                // record. Any other run needs no number kept.
                Interlocked.CompareExchange(ref runId, RunIds.Format(extras is null ? RunIds.NextNumber() : RunNumber), null);
                id = runId!;
            }

            return id;
        }
    }

    /// <summary>
    /// The number of the run's generated id (<see cref="RunIds.NextNumber"/>), drawn on first use and kept with the
    /// run's rare fields; meaningless when an id was given.
    /// </summary>
    private long RunNumber
    {
        get
        {
            var rare = Extras;
            var number = Volatile.Read(ref rare.RunNumber);
            if (number == 0)
            {
                Interlocked.CompareExchange(ref rare.RunNumber, RunIds.NextNumber(), 0);
                number = rare.RunNumber;
            }

            return number;
        }
    }

    /// <summary>The run's <see cref="RunOptions.ThreadId"/>, or null.</summary>
    public string? ThreadId => extras?.ThreadId;

    /// <summary>The state as of the start of the current step (what the current step's tasks read).</summary>
    public TState State => state;

    /// <summary>The current step (1-based; 0 before the first step).</summary>
    public int Step => step;

    /// <summary>The core stripe the run started on (see <see cref="coreStripe"/>).</summary>
    public int Stripe => coreStripe;

    public GraphModel<TState, TUpdate> Model => model;

    public bool IsFinished => (Volatile.Read(ref endFlags) & Finished) != 0;

    /// <summary>The checkpoint the run is at (null without persistence).</summary>
    public long? CheckpointId => persistence?.CurrentId;

    /// <summary>Starts the run (see <see cref="Start"/>) and returns it.</summary>
    public GraphRun<TState, TUpdate> Started(CancellationToken cancellationToken)
    {
        Start(cancellationToken);
        return this;
    }

    /// <summary>Starts the run: plans the first step from START, saves the input checkpoint and dispatches the step.</summary>
    /// <param name="cancellationToken">The caller's token: cancels the run.</param>
    public void Start(CancellationToken cancellationToken)
    {
        if (!Begin(cancellationToken))
        {
            return;
        }

        startingThread = Environment.CurrentManagedThreadId;
        try
        {
            foreach (var target in model.StartTargets)
            {
                Trigger(target);
            }

            foreach (var router in model.StartRouters)
            {
                ApplyRouter(StateGraph.Start, router);
            }

            PlanAfterRoutes(CheckpointSource.Input, [], null);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            startingThread = 0;
        }
    }

    private bool Begin(CancellationToken cancellationToken)
    {
        GraphMetrics.RunsInFlight.Add(1);
        coreStripe = model.Control.Drain.Enter();
        if (EngineDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.RunActivity) is { } activity)
        {
            Extras.Activity = activity;
            activity.SetTag(GraphDiagnostics.RunIdTag, RunId);
            activity.SetTag(GraphDiagnostics.ThreadIdTag, ThreadId);
        }

        if (cancellationToken.CanBeCanceled)
        {
            shared.CallerTokens.Join(this, cancellationToken, coreStripe);
            if (cancellationToken.IsCancellationRequested)
            {
                CancelRun(); // fired before the run joined its group (the group's cancel may also reach it: both end it once)
            }
        }

        if (cts is not null)
        {
            Extras.CancelRegistration = cts.Token.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).OnCancelled(), this);
        }

        return !IsFinished; // false: cancelled before it started
    }

    public void EmitCustom(string node, int step, int taskIndex, object? payload) =>
        events.Custom(step, node, taskIndex, payload);

    public ValueTask EmitCustomAsync(string node, int step, int taskIndex, object? payload)
    {
        events.Custom(step, node, taskIndex, payload);
        return events.WaitForRoomAsync();
    }

    public ChannelWriter<GraphEvent>? SubgraphEvents(int step, string taskId) => events.ForSubgraph(step, taskId);
}
