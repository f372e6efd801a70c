using System.Collections.Immutable;
using System.Diagnostics;
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
/// One concept a file: this one is the run's start and what it shares with its graph; <c>GraphRun.Ending.cs</c> is
/// its single end (finished, interrupted or failed), <c>GraphRun.Cancellation.cs</c> its token (cancel, timeout),
/// <c>RunEvents.cs</c> its event stream, <c>GraphRun.Claims.cs</c> hands a step's tasks out,
/// <c>GraphRun.StepTasks.cs</c> builds and holds the step's tasks and results, <c>GraphRun.Tasks.cs</c> runs tasks and
/// counts their reports, <c>GraphRun.Invoke.cs</c> calls a node under its policies, <c>GraphRun.Planner.cs</c> reduces
/// a step and plans the next (<c>GraphRun.SingleStep.cs</c> the common one-task step), <c>GraphRun.AfterSave.cs</c> goes on once its checkpoint is saved,
/// <c>GraphRun.Routing.cs</c> follows edges, joins and routes, <c>GraphRun.Checkpoints.cs</c> and
/// <c>GraphRun.Resume.cs</c> are its durability.
/// </remarks>
internal sealed partial class GraphRun<TState, TUpdate> : GraphRunBase
{
    /// <summary>What the graph's runs share (model, executor, options, logger, static interrupts): one reference for all.</summary>
    private readonly GraphRunShared<TState, TUpdate> shared;
    private readonly ChannelWriter<GraphEvent>? eventWriter;
    private readonly TaskCompletionSource<TState> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? cts;
    private readonly CancellationToken userToken;

    /// <summary>The run's <see cref="RunOptions.Timeout"/>; <see cref="NoTimeout"/> when none was given (a plain value: 8 bytes, not a nullable's 16).</summary>
    private readonly TimeSpan runTimeout;
    private readonly int stepLimit;

    /// <summary>Join progress: per join, the bits of its sources that have finished (kept with the run: read after it ends).</summary>
    private readonly ulong[] joinMasks;
    private readonly RunPersistence? persistence;
    private ImmutableStack<(int Index, GraphInterrupt Interrupt)>? stepInterrupts;
    private int stepBase;
    private CancellationTokenRegistration userRegistration;
    private CancellationTokenRegistration cancelRegistration;
    private Activity? activity;
    private TState state;
    private int step;
    private int outstanding;
    private int finished;
    private int failed;

    public GraphRun(
        GraphRunShared<TState, TUpdate> shared,
        TState input,
        RunOptions? runOptions,
        ChannelWriter<GraphEvent>? events,
        CancellationToken cancellationToken,
        RunPersistence? persistence = null)
        : base(runOptions?.RunId, runOptions?.ThreadId)
    {
        this.persistence = persistence;
        this.shared = shared.For(runOptions);
        eventWriter = events;
        state = input;
        userToken = cancellationToken;
        runTimeout = NoTimeout;
        stepLimit = runOptions?.StepLimit ?? options.StepLimit;
        drainToken = runOptions?.DrainToken ?? default;
        joinMasks = model.Joins.Length == 0 ? [] : new ulong[model.Joins.Length];
        if (runOptions?.Timeout is { } t)
        {
            if (t != Timeout.InfiniteTimeSpan)
            {
                cts = new CancellationTokenSource(t, options.TimeProvider);
            }

            runTimeout = t;
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

    /// <summary>Completes with the final state, or faults/cancels with the run's error.</summary>
    public Task<TState> Completion => completion.Task;

    /// <summary>The state as of the start of the current step (what the current step's tasks read).</summary>
    public TState State => state;

    /// <summary>The current step (1-based; 0 before the first step).</summary>
    public int Step => step;

    public GraphModel<TState, TUpdate> Model => model;

    public bool IsFinished => Volatile.Read(ref finished) != 0;

    /// <summary>The checkpoint the run is at (null without persistence).</summary>
    public long? CheckpointId => persistence?.CurrentId;

    /// <summary>Starts the run (see <see cref="Start"/>) and returns it.</summary>
    public GraphRun<TState, TUpdate> Started()
    {
        Start();
        return this;
    }

    /// <summary>Starts the run: plans the first step from START, saves the input checkpoint and dispatches the step.</summary>
    public void Start()
    {
        if (!Begin())
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

    private bool Begin()
    {
        GraphMetrics.RunsInFlight.Add(1);
        model.Control.Drain.Enter();
        activity = EngineDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.RunActivity);
        if (activity is not null)
        {
            activity.SetTag(GraphDiagnostics.RunIdTag, RunId);
            activity.SetTag(GraphDiagnostics.ThreadIdTag, ThreadId);
        }

        if (userToken.CanBeCanceled)
        {
            userRegistration = userToken.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).CancelRun(), this);
        }

        if (cts is not null)
        {
            cancelRegistration = cts.Token.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).OnCancelled(), this);
        }

        return !IsFinished; // false: cancelled before it started
    }

    public override void EmitCustom(string node, int step, int taskIndex, object? payload) =>
        events.Custom(step, node, taskIndex, payload);

    public override ValueTask EmitCustomAsync(string node, int step, int taskIndex, object? payload)
    {
        events.Custom(step, node, taskIndex, payload);
        return events.WaitForRoomAsync();
    }

    public override ChannelWriter<GraphEvent>? SubgraphEvents(int step, string taskId) => events.ForSubgraph(step, taskId);
}
