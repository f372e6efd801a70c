using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// One run of a compiled graph: state, step, planner state (join progress), the current step's tasks and a countdown
/// of outstanding tasks. Executors run tasks with <see cref="RunTaskAsync"/>; the report that brings the countdown to
/// zero reduces the step, plans the next one and dispatches it on its own thread (no coordinator).
/// </summary>
internal sealed class GraphRun<TState, TUpdate> : GraphRunBase
{
    private static readonly Action<ILogger, string, string, int, int, Exception?> LogRetry =
        LoggerMessage.Define<string, string, int, int>(LogLevel.Warning, new EventId(1, "GraphNodeRetry"), "Run {RunId}: node {Node} failed in step {Step} on attempt {Attempt}; retrying");

    private static readonly Action<ILogger, string, int, Exception?> LogFailed =
        LoggerMessage.Define<string, int>(LogLevel.Error, new EventId(2, "GraphRunFailed"), "Run {RunId} failed in step {Step}");

    private static readonly Action<ILogger, string, string, Exception?> LogJoinSkipped =
        LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(3, "GraphJoinSkipped"), "Run {RunId}: join into {Target} never fired");

    private readonly GraphModel<TState, TUpdate> model;
    private readonly ITaskExecutor<TState, TUpdate> executor;
    private readonly GraphCompileOptions options;
    private readonly ChannelWriter<GraphEvent>? events;
    private readonly TaskCompletionSource<TState> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource cts;
    private readonly CancellationToken userToken;
    private readonly TimeSpan? runTimeout;
    private readonly int stepLimit;
    private readonly ulong[] joinMasks;
    private readonly List<PlannedTask<TState, TUpdate>> tasks = [];
    private readonly List<NodeUpdate<TUpdate>> updates = [];
    private readonly List<NodeDefinition<TState, TUpdate>> triggered = [];
    private readonly bool[] isTriggered;
    private readonly List<(NodeDefinition<TState, TUpdate> Node, Send Send)> sends = [];
    private NodeResult<TUpdate>[] results = new NodeResult<TUpdate>[4];
    private CancellationTokenRegistration userRegistration;
    private CancellationTokenRegistration cancelRegistration;
    private Activity? activity;
    private TState state;
    private int step;
    private int outstanding;
    private int finished;

    public GraphRun(
        GraphModel<TState, TUpdate> model,
        ITaskExecutor<TState, TUpdate> executor,
        GraphCompileOptions options,
        TState input,
        RunOptions? runOptions,
        ChannelWriter<GraphEvent>? events,
        CancellationToken cancellationToken)
        : base(runOptions?.RunId, runOptions?.ThreadId)
    {
        this.model = model;
        this.executor = executor;
        this.options = options;
        this.events = events;
        state = input;
        userToken = cancellationToken;
        runTimeout = runOptions?.Timeout;
        stepLimit = runOptions?.StepLimit ?? options.StepLimit;
        joinMasks = model.Joins.Length == 0 ? [] : new ulong[model.Joins.Length];
        isTriggered = new bool[model.Nodes.Length];
        cts = runTimeout is { } t && t != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(t, options.TimeProvider)
            : new CancellationTokenSource();
    }

    /// <summary>Completes with the final state, or faults/cancels with the run's error.</summary>
    public Task<TState> Completion => completion.Task;

    /// <summary>Cancelled when the run ends for any reason other than success, or is cancelled or times out.</summary>
    public CancellationToken CancellationToken => cts.Token;

    /// <summary>The state as of the start of the current step (what the current step's tasks read).</summary>
    public TState State => state;

    /// <summary>The current step (1-based; 0 before the first step).</summary>
    public int Step => step;

    public GraphModel<TState, TUpdate> Model => model;

    public bool IsFinished => Volatile.Read(ref finished) != 0;

    /// <summary>Starts the run: plans the first step from START and dispatches it.</summary>
    public void Start()
    {
        GraphDiagnostics.RunsInFlight.Add(1);
        activity = GraphDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.RunActivity);
        if (activity is not null)
        {
            activity.SetTag(GraphDiagnostics.RunIdTag, RunId);
            activity.SetTag(GraphDiagnostics.ThreadIdTag, ThreadId);
        }

        if (userToken.CanBeCanceled)
        {
            userRegistration = userToken.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).CancelRun(), this);
        }

        cancelRegistration = cts.Token.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).OnCancelled(), this);
        if (IsFinished)
        {
            return; // cancelled before it started
        }

        try
        {
            foreach (var target in model.StartTargets)
            {
                Trigger(target);
            }

            foreach (var router in model.StartRouters)
            {
                ApplyRoute(StateGraph.Start, router.Router(state), router.Targets);
            }

            PlanAndDispatch();
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>
    /// Runs one task: events, activity, metrics, the node's retry policy or resilience pipeline, per-attempt timeout,
    /// then reports the outcome with <see cref="OnTaskCompleted"/>. Never throws. Returns whether the task succeeded
    /// (an executor drops a factory instance after a failure).
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="instance">For factory nodes, the executor's instance; null creates a fresh one for this task (disposed after it).</param>
    public async ValueTask<bool> RunTaskAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance = null)
    {
        if (IsFinished)
        {
            return true;
        }

        var node = task.Node;
        var started = GraphDiagnostics.TaskDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        using var taskActivity = activity is null ? null : GraphDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.TaskActivity, ActivityKind.Internal, activity.Context);
        taskActivity?.SetTag(GraphDiagnostics.NodeTag, node.Name);
        taskActivity?.SetTag(GraphDiagnostics.StepTag, task.Step);
        events?.TryWrite(new TaskStartedEvent(RunId, task.Step, node.Name, task.Index));
        NodeResult<TUpdate> result = default;
        Exception? error = null;
        INode<TState, TUpdate>? ownInstance = null;
        try
        {
            if (node.Kind == NodeKind.Factory && instance is null)
            {
                instance = ownInstance = node.Factory!();
            }

            var options = node.Options;
            result = options.Retry is null && options.ResiliencePipeline is null && options.Timeout is null
                ? await InvokeAsync(task, instance, 1, cts.Token).ConfigureAwait(false)
                : await InvokeWithPoliciesAsync(task, instance).ConfigureAwait(false);
        }
        catch (NodeFailedException ex)
        {
            error = ex;
        }
        catch (OperationCanceledException ex) when (cts.IsCancellationRequested)
        {
            error = ex;
        }
        catch (Exception ex)
        {
            error = new NodeFailedException(node.Name, task.Step, task.Index, 1, ex);
        }

        if (ownInstance is IAsyncDisposable asyncDisposable)
        {
            try
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (error is null)
            {
                error = new NodeFailedException(node.Name, task.Step, task.Index, 1, ex);
            }
        }
        else if (ownInstance is IDisposable disposable)
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception ex) when (error is null)
            {
                error = new NodeFailedException(node.Name, task.Step, task.Index, 1, ex);
            }
        }

        if (started != 0)
        {
            GraphDiagnostics.TaskDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>(GraphDiagnostics.NodeTag, node.Name));
        }

        if (GraphDiagnostics.Tasks.Enabled)
        {
            GraphDiagnostics.Tasks.Add(
                1,
                new KeyValuePair<string, object?>(GraphDiagnostics.NodeTag, node.Name),
                new KeyValuePair<string, object?>(GraphDiagnostics.OutcomeTag, error is null ? "ok" : "error"));
        }

        if (error is null)
        {
            events?.TryWrite(new TaskFinishedEvent<TUpdate>(RunId, task.Step, node.Name, task.Index, result));
        }
        else
        {
            taskActivity?.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        OnTaskCompleted(task.Index, result, error);
        return error is null;
    }

    /// <summary>
    /// Reports a task's outcome. A failure ends the run at once (siblings are cancelled, their late reports ignored).
    /// The report that completes the step reduces it, plans the next step and dispatches it on the calling thread.
    /// </summary>
    public void OnTaskCompleted(int taskIndex, NodeResult<TUpdate> result, Exception? error)
    {
        if (IsFinished)
        {
            return;
        }

        if (error is not null)
        {
            Fail(error);
            return;
        }

        results[taskIndex] = result;
        if (Interlocked.Decrement(ref outstanding) == 0)
        {
            try
            {
                Advance();
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
        }
    }

    /// <summary>A snapshot of the planner (for checkpoints): the step and each join's finished sources.</summary>
    public PlannerState GetPlannerState()
    {
        var joins = new JoinProgress[model.Joins.Length];
        for (var j = 0; j < joins.Length; j++)
        {
            var join = model.Joins[j];
            var mask = Volatile.Read(ref joinMasks[j]);
            joins[j] = new JoinProgress(join.Target, join.Sources, [.. join.Sources.Where((_, i) => (mask & (1UL << i)) != 0)]);
        }

        return new PlannerState(step, joins);
    }

    public override void EmitCustom(string node, int step, int taskIndex, object? payload) =>
        events?.TryWrite(new CustomEvent(RunId, step, node, taskIndex, payload));

    private ValueTask<NodeResult<TUpdate>> InvokeAsync(in PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, CancellationToken token)
    {
        var node = task.Node;
        var context = new NodeContext(this, node.Name, task.Step, task.Index, attempt, token);
        return node.Kind switch
        {
            NodeKind.Worker => node.Worker!(task.Argument, context),
            NodeKind.Factory => instance!.InvokeAsync(state, context),
            _ => node.Function!(state, context),
        };
    }

    private async ValueTask<NodeResult<TUpdate>> InvokeWithPoliciesAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance)
    {
        var node = task.Node;
        var runToken = cts.Token;
        if (node.Options.ResiliencePipeline is { } pipeline)
        {
            var attempts = 0;
            try
            {
                return await pipeline.ExecuteAsync(
                    ct =>
                    {
                        attempts++;
                        return AttemptAsync(task, instance, attempts, ct);
                    },
                    runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested)
            {
                throw new NodeFailedException(node.Name, task.Step, task.Index, Math.Max(1, attempts), ex);
            }
        }

        var retry = node.Options.Retry;
        var maxAttempts = retry?.MaxAttempts ?? 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(task, instance, attempt, runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested)
            {
                if (attempt >= maxAttempts || (retry!.ShouldRetry is { } filter && !filter(ex)))
                {
                    throw new NodeFailedException(node.Name, task.Step, task.Index, attempt, ex);
                }

                if (options.Logger is { } logger)
                {
                    LogRetry(logger, RunId, node.Name, task.Step, attempt, ex);
                }

                var delay = retry.GetDelay(attempt + 1);
                if (retry.Jitter)
                {
                    delay = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, options.TimeProvider, runToken).ConfigureAwait(false);
                }
            }
        }
    }

    private ValueTask<NodeResult<TUpdate>> AttemptAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, CancellationToken token) =>
        task.Node.Options.Timeout is { } timeout && timeout != Timeout.InfiniteTimeSpan
            ? AttemptWithTimeoutAsync(task, instance, attempt, timeout, token)
            : InvokeAsync(task, instance, attempt, token);

    private async ValueTask<NodeResult<TUpdate>> AttemptWithTimeoutAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, TimeSpan timeout, CancellationToken token)
    {
        using var attemptCts = new CancellationTokenSource(timeout, options.TimeProvider);
        using var link = token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), attemptCts);
        try
        {
            return await InvokeAsync(task, instance, attempt, attemptCts.Token).AsTask().WaitAsync(attemptCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (attemptCts.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new TimeoutException($"Node '{task.Node.Name}' timed out after {timeout} (step {task.Step}, attempt {attempt}).", ex);
        }
    }

    private void Advance()
    {
        updates.Clear();
        var count = tasks.Count;
        for (var i = 0; i < count; i++)
        {
            ref readonly var r = ref results[i];
            if (r.HasUpdate)
            {
                updates.Add(new NodeUpdate<TUpdate>(tasks[i].Node.Name, step, i, r.Update));
            }
        }

        state = model.Reducer(state, updates);
        updates.Clear();
        GraphDiagnostics.Steps.Add(1);
        events?.TryWrite(new StepFinishedEvent<TState>(RunId, step, state, [.. tasks.Select(t => t.Node.Name)]));
        if (IsFinished)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            var node = tasks[i].Node;
            foreach (var target in node.EdgeTargets)
            {
                Trigger(target);
            }

            foreach (var (join, bit) in node.JoinMemberships)
            {
                var mask = joinMasks[join] | bit;
                var full = model.Joins[join].FullMask;
                if (mask == full)
                {
                    Trigger(model.Nodes[model.Joins[join].TargetIndex]);
                    mask = 0;
                }

                joinMasks[join] = mask;
            }

            foreach (var router in node.Routers)
            {
                ApplyRoute(node.Name, router.Router(state), router.Targets);
            }

            if (results[i].Command is { } command)
            {
                ApplyRoute(node.Name, command.Goto, node.Options.Destinations);
            }

            results[i] = default;
        }

        PlanAndDispatch();
    }

    private void Trigger(NodeDefinition<TState, TUpdate> node)
    {
        if (!isTriggered[node.Index])
        {
            isTriggered[node.Index] = true;
            triggered.Add(node);
        }
    }

    private void ApplyRoute(string source, Route route, IReadOnlyList<string>? declared)
    {
        for (var i = 0; i < route.TargetCount; i++)
        {
            var target = route.TargetAt(i);
            CheckDeclared(source, target, declared);
            if (target == StateGraph.End)
            {
                continue;
            }

            var node = model.Find(target)
                ?? throw new InvalidRouteException(source, target, declared, $"Node '{source}' routed to unknown node '{target}'.");
            if (node.Kind == NodeKind.Worker)
            {
                throw new InvalidRouteException(source, target, declared, $"Node '{source}' routed to worker node '{target}' without a Send; use Route.Sends(Send.To(\"{target}\", argument)).");
            }

            Trigger(node);
        }

        if (route.RawSends is { } routeSends)
        {
            foreach (var send in routeSends)
            {
                CheckDeclared(source, send.Node, declared);
                var node = model.Find(send.Node)
                    ?? throw new InvalidRouteException(source, send.Node, declared, $"Node '{source}' sent to unknown node '{send.Node}'.");
                if (node.Kind != NodeKind.Worker)
                {
                    throw new InvalidRouteException(source, send.Node, declared, $"Node '{source}' sent to '{send.Node}', which is not a worker node; add it with AddWorker.");
                }

                if (!node.AcceptsArgument(send.Argument))
                {
                    throw new InvalidRouteException(source, send.Node, declared, $"Node '{source}' sent a {send.Argument?.GetType().Name ?? "null"} to worker '{send.Node}', which expects {node.ArgumentType!.Name}.");
                }

                sends.Add((node, send));
            }
        }
    }

    private static void CheckDeclared(string source, string target, IReadOnlyList<string>? declared)
    {
        if (declared is null)
        {
            return;
        }

        for (var i = 0; i < declared.Count; i++)
        {
            if (string.Equals(declared[i], target, StringComparison.Ordinal))
            {
                return;
            }
        }

        var from = source == StateGraph.Start ? "START" : $"node '{source}'";
        throw new InvalidRouteException(source, target, declared, $"The router or command of {from} returned '{target}', which is not among its declared targets [{string.Join(", ", declared)}].");
    }

    private void PlanAndDispatch()
    {
        tasks.Clear();
        if (triggered.Count > 1)
        {
            triggered.Sort(static (a, b) => a.Rank.CompareTo(b.Rank));
        }

        var next = step + 1;
        foreach (var node in triggered)
        {
            isTriggered[node.Index] = false;
            tasks.Add(new PlannedTask<TState, TUpdate>(node, next, tasks.Count, false, null));
        }

        triggered.Clear();
        foreach (var (node, send) in sends)
        {
            tasks.Add(new PlannedTask<TState, TUpdate>(node, next, tasks.Count, true, send.Argument));
        }

        sends.Clear();
        var count = tasks.Count;
        if (count == 0)
        {
            Finish();
            return;
        }

        if (next > stepLimit)
        {
            throw new GraphRecursionLimitException(stepLimit, [.. tasks.Select(t => t.Node.Name)]);
        }

        step = next;
        if (results.Length < count)
        {
            results = new NodeResult<TUpdate>[Math.Max(count, results.Length * 2)];
        }

        Volatile.Write(ref outstanding, count);
        for (var i = 0; i < count; i++)
        {
            // After the last dispatch another thread may already be planning the next step: read nothing afterwards.
            executor.Dispatch(this, tasks[i]);
        }
    }

    private void Finish()
    {
        List<JoinSkippedEvent>? skipped = null;
        for (var j = 0; j < joinMasks.Length; j++)
        {
            var mask = joinMasks[j];
            if (mask != 0)
            {
                var join = model.Joins[j];
                var finishedSources = join.Sources.Where((_, i) => (mask & (1UL << i)) != 0).ToArray();
                var missing = join.Sources.Where((_, i) => (mask & (1UL << i)) == 0).ToArray();
                var e = new JoinSkippedEvent(RunId, step, join.Target, finishedSources, missing);
                (skipped ??= []).Add(e);
                events?.TryWrite(e);
                if (options.Logger is { } logger)
                {
                    LogJoinSkipped(logger, RunId, join.Target, null);
                }
            }
        }

        if (skipped is not null && options.JoinSkipped == JoinSkippedPolicy.Fail)
        {
            Fail(new JoinSkippedException(skipped));
            return;
        }

        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }

        events?.TryWrite(new RunFinishedEvent<TState>(RunId, step, state));
        Cleanup();
        completion.TrySetResult(state);
    }

    private void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        if (options.Logger is { } logger && error is not OperationCanceledException)
        {
            LogFailed(logger, RunId, step, error);
        }

        events?.TryWrite(new RunFailedEvent(RunId, step, error));
        Cleanup();
        if (error is OperationCanceledException && userToken.IsCancellationRequested)
        {
            completion.TrySetCanceled(userToken);
        }
        else
        {
            completion.TrySetException(error);
        }

        cts.Cancel();
    }

    private void CancelRun() => cts.Cancel();

    private void OnCancelled()
    {
        if (IsFinished)
        {
            return;
        }

        Fail(userToken.IsCancellationRequested
            ? new OperationCanceledException($"Run '{RunId}' was cancelled in step {step}.", userToken)
            : new TimeoutException($"Run '{RunId}' exceeded its timeout of {runTimeout} in step {step}."));
    }

    private void Cleanup()
    {
        userRegistration.Dispose();
        cancelRegistration.Dispose();
        events?.TryComplete();
        GraphDiagnostics.RunsInFlight.Add(-1);
        activity?.Dispose();
        if (runTimeout is not null)
        {
            // Stops the timer; tasks still running observe a cancelled (or never-cancelled) token either way.
            cts.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }
}
