using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Diagnostics;
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
    private readonly GraphModel<TState, TUpdate> model;
    private readonly ITaskExecutor<TState, TUpdate> executor;
    private readonly GraphCompileOptions options;
    private readonly ILogger logger;
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
    private readonly RunPersistence? persistence;
    private readonly IReadOnlyList<string> interruptBefore;
    private readonly IReadOnlyList<string> interruptAfter;
    private readonly string stateTypeName;
    private NodeResult<TUpdate>[] results = new NodeResult<TUpdate>[4];
    private string[] taskIds = new string[4];
    private bool[] done = new bool[4];
    private IReadOnlyList<object?>?[] resumeValues = new IReadOnlyList<object?>?[4];
    private List<(int Index, GraphInterrupt Interrupt)>? stepInterrupts;
    private int stepBase;
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
        ILogger logger,
        TState input,
        RunOptions? runOptions,
        ChannelWriter<GraphEvent>? events,
        CancellationToken cancellationToken,
        RunPersistence? persistence = null)
        : base(runOptions?.RunId, runOptions?.ThreadId)
    {
        this.persistence = persistence;
        interruptBefore = runOptions?.InterruptBefore ?? options.InterruptBefore;
        interruptAfter = runOptions?.InterruptAfter ?? options.InterruptAfter;
        stateTypeName = persistence is null ? string.Empty : StateTypeName<TState>.Value;
        this.model = model;
        this.executor = executor;
        this.options = options;
        this.logger = logger;
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

    /// <summary>The checkpoint the run is at (null without persistence).</summary>
    public long? CheckpointId => persistence?.CurrentId;

    /// <summary>Starts the run: plans the first step from START, saves the input checkpoint and dispatches the step.</summary>
    public void Start()
    {
        if (!Begin())
        {
            return;
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

            PlanAndContinue(CheckpointSource.Input, [], null);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>
    /// Resumes the run from <paramref name="checkpoint"/> (whose state the run was created with): restores join
    /// progress and the planned tasks, takes the results of tasks whose updates are recorded, gives resume values to
    /// interrupted tasks and runs the rest. Static interrupts before this step are not raised again.
    /// </summary>
    public void StartFrom(Checkpoint checkpoint, Resume resume)
    {
        if (!Begin())
        {
            return;
        }

        try
        {
            RestorePlanner(checkpoint);
            if (checkpoint.NextTasks.Count == 0)
            {
                Complete(null, null);
                return;
            }

            var serializer = persistence!.Serializer;
            var count = checkpoint.NextTasks.Count;
            EnsureCapacity(count);
            tasks.Clear();
            for (var i = 0; i < count; i++)
            {
                var record = checkpoint.NextTasks[i];
                var node = model.Find(record.Node)
                    ?? throw new CheckpointStoreException($"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' plans node '{record.Node}', which this graph does not have.");
                object? argument = null;
                if (record.SendArgument is { } bytes)
                {
                    if (node.Kind != NodeKind.Worker)
                    {
                        throw new CheckpointStoreException($"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' sends to '{record.Node}', which is not a worker node of this graph.");
                    }

                    argument = CheckpointCodec.DeserializeObject(serializer, node.ArgumentType!, bytes);
                }

                tasks.Add(new PlannedTask<TState, TUpdate>(node, step + 1, i, record.SendArgument is not null, argument));
                taskIds[i] = record.TaskId;
                done[i] = false;
                resumeValues[i] = null;
                results[i] = default;
            }

            var pending = new List<(int Index, GraphInterrupt Interrupt, IReadOnlyList<object?> Earlier)>();
            foreach (var write in checkpoint.PendingWrites)
            {
                var i = Array.IndexOf(taskIds, write.TaskId, 0, count);
                if (i < 0)
                {
                    continue;
                }

                if (write.Kind == PendingWriteKind.Update)
                {
                    done[i] = true;
                    results[i] = CheckpointCodec.DecodeResult(serializer, model, write.Payload);
                }
            }

            foreach (var write in checkpoint.PendingWrites)
            {
                var i = Array.IndexOf(taskIds, write.TaskId, 0, count);
                if (i >= 0 && !done[i] && write.Kind == PendingWriteKind.Interrupt)
                {
                    var (interrupt, earlier) = CheckpointCodec.DecodeInterrupt(serializer, write);
                    pending.Add((i, interrupt, earlier));
                    resumeValues[i] = earlier;
                }
            }

            ApplyResume(checkpoint, resume, pending);

            // The resumed step is dispatched as saved: no interrupt-before check runs for it, and the check of
            // the steps after it stays on (a flag here used to leak into the next step). Like a planned step, it
            // runs as the checkpoint's step + 1 (the number its tasks and ids already carry).
            stepBase = step;
            step++;
            DispatchStep();
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>
    /// Applies <paramref name="update"/> to <paramref name="checkpoint"/>'s state as if <paramref name="asNode"/> wrote it
    /// (through the reducer), plans the next tasks from that node's edges, joins and routers, and saves the result as a
    /// new checkpoint with <see cref="CheckpointSource.Update"/>. The run is not started.
    /// </summary>
    public async Task<long> ApplyUpdateAsync(Checkpoint checkpoint, TUpdate update, string asNode)
    {
        RestorePlanner(checkpoint);
        NodeDefinition<TState, TUpdate>? node = null;
        if (asNode != StateGraph.Start)
        {
            node = model.Find(asNode) ?? throw new ArgumentException($"UpdateStateAsync: the graph has no node '{asNode}'.", nameof(asNode));
        }

        state = model.Reducer(state, [new NodeUpdate<TUpdate>(asNode, step + 1, 0, update)]);
        step++;
        if (node is null)
        {
            foreach (var target in model.StartTargets)
            {
                Trigger(target);
            }

            foreach (var router in model.StartRouters)
            {
                ApplyRoute(StateGraph.Start, router.Router(state), router.Targets);
            }
        }
        else
        {
            FollowEdges(node, null);
        }

        BuildTasks(step + 1);
        var put = SaveCheckpoint(CheckpointSource.Update, [asNode]);
        if (put is not null)
        {
            await put.ConfigureAwait(false);
        }

        await persistence!.FlushAsync().ConfigureAwait(false);
        return persistence.CurrentId!.Value;
    }

    private bool Begin()
    {
        GraphMetrics.RunsInFlight.Add(1);
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

        cancelRegistration = cts.Token.UnsafeRegister(static s => ((GraphRun<TState, TUpdate>)s!).OnCancelled(), this);
        return !IsFinished; // false: cancelled before it started
    }

    private void RestorePlanner(Checkpoint checkpoint)
    {
        var planner = CheckpointCodec.DecodePlanner(checkpoint.PlannerState);
        step = checkpoint.Step;
        if (planner.Joins.Count == 0 && model.Joins.Length == 0)
        {
            return;
        }

        if (planner.Joins.Count != model.Joins.Length)
        {
            throw new CheckpointStoreException($"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' records {planner.Joins.Count} join(s); this graph has {model.Joins.Length}.");
        }

        for (var j = 0; j < joinMasks.Length; j++)
        {
            var join = model.Joins[j];
            var progress = planner.Joins[j];
            if (progress.Target != join.Target || !progress.Sources.SequenceEqual(join.Sources))
            {
                throw new CheckpointStoreException($"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' records join [{string.Join(", ", progress.Sources)}] -> '{progress.Target}', but this graph's join {j} is {join.Describe()}.");
            }

            ulong mask = 0;
            foreach (var source in progress.Finished)
            {
                mask |= 1UL << Array.IndexOf(join.Sources, source);
            }

            joinMasks[j] = mask;
        }
    }

    private void ApplyResume(Checkpoint checkpoint, Resume resume, List<(int Index, GraphInterrupt Interrupt, IReadOnlyList<object?> Earlier)> pending)
    {
        string Pending() => pending.Count == 0 ? "none" : string.Join(", ", pending.Select(p => p.Interrupt.Id));
        if (resume.HasSingle)
        {
            if (pending.Count != 1)
            {
                throw new ArgumentException(
                    $"Resume.With needs exactly one pending interrupt; thread '{checkpoint.ThreadId}' at checkpoint {checkpoint.Id} has {pending.Count} ({Pending()}). Use Resume.ById for several, Resume.Continue for none.",
                    nameof(resume));
            }

            resumeValues[pending[0].Index] = [.. pending[0].Earlier, resume.Single];
        }

        foreach (var (id, value) in resume.Values)
        {
            var at = pending.FindIndex(p => p.Interrupt.Id == id);
            if (at < 0)
            {
                throw new ArgumentException(
                    $"Thread '{checkpoint.ThreadId}' at checkpoint {checkpoint.Id} has no pending interrupt '{id}' (pending: {Pending()}).",
                    nameof(resume));
            }

            resumeValues[pending[at].Index] = [.. pending[at].Earlier, value];
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
        var started = GraphMetrics.TaskDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        using var taskActivity = activity is null ? null : EngineDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.TaskActivity, ActivityKind.Internal, activity.Context);
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
        catch (NodeInterruptException ex)
        {
            error = ex;
        }
        catch (OperationCanceledException ex) when (cts.IsCancellationRequested)
        {
            // The run's token fired. Its callbacks run newest first, so the node may report before the run's own
            // OnCancelled: name the run's reason (cancelled or timed out) here too, whichever report wins.
            error = CancellationReason() ?? ex;
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
            GraphMetrics.TaskDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new KeyValuePair<string, object?>(GraphDiagnostics.NodeTag, node.Name));
        }

        if (GraphMetrics.Tasks.Enabled)
        {
            GraphMetrics.Tasks.Add(
                1,
                new KeyValuePair<string, object?>(GraphDiagnostics.NodeTag, node.Name),
                new KeyValuePair<string, object?>(GraphDiagnostics.OutcomeTag, error is null ? "ok" : error is NodeInterruptException ? "interrupted" : "error"));
        }

        if (persistence is not null && !IsFinished)
        {
            // Recorded before the TaskFinished event: whoever sees the event may rely on the write being issued.
            error = Record(task.Index, result, error);
        }

        if (error is null)
        {
            events?.TryWrite(new TaskFinishedEvent<TUpdate>(RunId, task.Step, node.Name, task.Index, result));
        }
        else
        {
            taskActivity?.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        Report(task.Index, result, error, recorded: true);
        return error is null or NodeInterruptException;
    }

    /// <summary>
    /// Reports a task's outcome. A failure ends the run at once (siblings are cancelled, their late reports ignored).
    /// The report that completes the step reduces it, plans the next step and dispatches it on the calling thread.
    /// </summary>
    public void OnTaskCompleted(int taskIndex, NodeResult<TUpdate> result, Exception? error) => Report(taskIndex, result, error, recorded: false);

    /// <summary>
    /// Records a task's outcome as a pending write against the checkpoint its step started from (update, interrupt or
    /// error). Returns the error to report: the task's own, or the store's if recording failed.
    /// </summary>
    private Exception? Record(int taskIndex, in NodeResult<TUpdate> result, Exception? error)
    {
        var p = persistence!;
        try
        {
            var node = tasks[taskIndex].Node.Name;
            var id = taskIds[taskIndex];
            if (error is NodeInterruptException interrupt)
            {
                p.RecordWrite(new PendingWrite(id, node, PendingWriteKind.Interrupt, CheckpointCodec.EncodeInterrupt(p.Serializer, interrupt.Interrupt, interrupt.EarlierValues)));
            }
            else if (error is null)
            {
                p.RecordWrite(new PendingWrite(id, node, PendingWriteKind.Update, CheckpointCodec.EncodeResult(p.Serializer, model, result)));
            }
            else if (error is not OperationCanceledException)
            {
                p.RecordWrite(new PendingWrite(id, node, PendingWriteKind.Error, CheckpointCodec.EncodeError(error)));
            }

            return error;
        }
        catch (Exception ex)
        {
            return error is null or NodeInterruptException ? ex : error;
        }
    }

    private void Report(int taskIndex, NodeResult<TUpdate> result, Exception? error, bool recorded)
    {
        if (IsFinished)
        {
            return;
        }

        if (!recorded && persistence is not null)
        {
            error = Record(taskIndex, result, error);
        }

        if (error is NodeInterruptException interrupt && persistence is not null)
        {
            lock (tasks)
            {
                (stepInterrupts ??= []).Add((taskIndex, interrupt.Interrupt));
            }

            results[taskIndex] = default;
        }
        else if (error is not null)
        {
            Fail(error);
            return;
        }
        else
        {
            results[taskIndex] = result;
        }

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
        var scope = persistence is null ? null : new InterruptScope(taskIds[task.Index], resumeValues[task.Index] ?? []);
        var context = new NodeContext(this, node.Name, task.Step, task.Index, attempt, token, scope);
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
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
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
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
            {
                if (attempt >= maxAttempts || (retry!.ShouldRetry is { } filter && !filter(ex)))
                {
                    throw new NodeFailedException(node.Name, task.Step, task.Index, attempt, ex);
                }

                GraphLog.NodeRetry(logger, ex, RunId, node.Name, task.Step, attempt);

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
        var count = tasks.Count;
        if (stepInterrupts is { Count: > 0 } raised)
        {
            // The step is not reduced: checkpoint N stays the latest, with the finished siblings' writes recorded.
            Complete(null, [.. raised.OrderBy(r => r.Index).Select(r => r.Interrupt)]);
            return;
        }

        updates.Clear();
        for (var i = 0; i < count; i++)
        {
            ref readonly var r = ref results[i];
            if (r.HasUpdate)
            {
                updates.Add(new NodeUpdate<TUpdate>(tasks[i].Node.Name, step, i, r.Update));
            }
        }

        IReadOnlyList<string> writers = persistence is null || updates.Count == 0
            ? []
            : updates.Count == 1
                ? persistence.Cache.SingleWriter(tasks[updates[0].TaskIndex].Node.Index, updates[0].Node)
                : [.. updates.Select(u => u.Node)];
        state = model.Reducer(state, updates);
        updates.Clear();
        GraphMetrics.Steps.Add(1);
        events?.TryWrite(new StepFinishedEvent<TState>(RunId, step, state, [.. tasks.Select(t => t.Node.Name)]));
        if (IsFinished)
        {
            return;
        }

        List<GraphInterrupt>? after = null;
        if (interruptAfter.Count > 0)
        {
            for (var i = 0; i < count; i++)
            {
                var name = tasks[i].Node.Name;
                if (interruptAfter.Contains(name))
                {
                    (after ??= []).Add(new GraphInterrupt($"after:{taskIds[i] ?? TaskIdOf(step, i, name)}", name, taskIds[i] ?? TaskIdOf(step, i, name), InterruptKind.After, null));
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            FollowEdges(tasks[i].Node, results[i].Command);
            results[i] = default;
        }

        PlanAndContinue(CheckpointSource.Loop, writers, after);
    }

    private void FollowEdges(NodeDefinition<TState, TUpdate> node, Command<TUpdate>? command)
    {
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

        if (command is not null)
        {
            ApplyRoute(node.Name, command.Goto, node.Options.Destinations);
        }
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

    private static string TaskIdOf(int step, int index, string node) => $"{step}:{index}:{node}";

    /// <summary>Plans the next step, saves the checkpoint (with persistence), then finishes, interrupts or dispatches.</summary>
    /// <remarks>
    /// The per-step path allocates nothing: no lambda here captures a local (a capture would allocate its closure on
    /// every call, whichever branch runs); the rare endings build theirs in <see cref="ThenComplete"/>.
    /// </remarks>
    private void PlanAndContinue(CheckpointSource source, IReadOnlyList<string> writers, List<GraphInterrupt>? after)
    {
        var next = step + 1;
        BuildTasks(next);
        var saved = SaveCheckpoint(source, writers);
        var count = tasks.Count;
        if (count == 0)
        {
            Then(saved, Finish);
            return;
        }

        if (after is not null)
        {
            ThenComplete(saved, after);
            return;
        }

        if (interruptBefore.Count > 0)
        {
            List<GraphInterrupt>? before = null;
            for (var i = 0; i < count; i++)
            {
                var name = tasks[i].Node.Name;
                if (interruptBefore.Contains(name))
                {
                    (before ??= []).Add(new GraphInterrupt($"before:{taskIds[i]}", name, taskIds[i], InterruptKind.Before, null));
                }
            }

            if (before is not null)
            {
                ThenComplete(saved, before);
                return;
            }
        }

        if (next - stepBase > stepLimit)
        {
            throw new GraphRecursionLimitException(stepLimit, [.. tasks.Select(t => t.Node.Name)]);
        }

        if (saved is null || saved.IsCompletedSuccessfully)
        {
            step = next;
            DispatchStep();
        }
        else
        {
            _ = AdvanceAfterSaveAsync(saved, next);
        }
    }

    private void ThenComplete(Task? saved, List<GraphInterrupt> interrupts) => Then(saved, () => Complete(null, interrupts));

    private async Task AdvanceAfterSaveAsync(Task saved, int next)
    {
        try
        {
            await saved.ConfigureAwait(false);
            if (!IsFinished)
            {
                step = next;
                DispatchStep();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Runs <paramref name="action"/> once <paramref name="saved"/> (a synchronous put) has completed.</summary>
    private void Then(Task? saved, Action action)
    {
        if (saved is null || saved.IsCompletedSuccessfully)
        {
            action();
            return;
        }

        _ = ThenAsync(saved, action);
    }

    private async Task ThenAsync(Task saved, Action action)
    {
        try
        {
            await saved.ConfigureAwait(false);
            if (!IsFinished)
            {
                action();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Fills <see cref="tasks"/> (and their ids) for step <paramref name="next"/> from the triggered nodes and sends.</summary>
    private void BuildTasks(int next)
    {
        tasks.Clear();
        if (triggered.Count > 1)
        {
            triggered.Sort(static (a, b) => a.Rank.CompareTo(b.Rank));
        }

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
        EnsureCapacity(tasks.Count);
        Array.Clear(resumeValues, 0, tasks.Count);
        if (persistence is not null)
        {
            var cache = persistence.Cache;
            for (var i = 0; i < tasks.Count; i++)
            {
                var node = tasks[i].Node;
                taskIds[i] = tasks[i].IsSend ? TaskIdOf(next, i, node.Name) : cache.Task(next, i, node.Index, node.Name).Record.TaskId;
            }
        }
    }

    private Task? SaveCheckpoint(CheckpointSource source, IReadOnlyList<string> writers)
    {
        if (persistence is null)
        {
            return null;
        }

        var serializer = persistence.Serializer;
        var cache = persistence.Cache;
        IReadOnlyList<PlannedTaskRecord> next;
        if (tasks.Count == 0)
        {
            next = [];
        }
        else if (tasks.Count == 1 && !tasks[0].IsSend)
        {
            next = cache.Task(step + 1, 0, tasks[0].Node.Index, tasks[0].Node.Name).Single;
        }
        else
        {
            var records = new PlannedTaskRecord[tasks.Count];
            for (var i = 0; i < records.Length; i++)
            {
                var task = tasks[i];
                records[i] = task.IsSend
                    ? new PlannedTaskRecord(taskIds[i], task.Node.Name, CheckpointCodec.SerializeObject(serializer, task.Node.ArgumentType!, task.Argument))
                    : cache.Task(step + 1, i, task.Node.Index, task.Node.Name).Record;
            }

            next = records;
        }

        // Planner state only matters for joins: a graph without joins stores none (read back as "no progress").
        var planner = model.Joins.Length == 0 ? ReadOnlyMemory<byte>.Empty : CheckpointCodec.EncodePlanner(GetPlannerState());
        var saved = persistence.Save(source, step, stateTypeName, CheckpointBuffers.Serialize(serializer, state), next, planner, writers, RunId);
        if (persistence.Durability != CheckpointDurability.AtExit)
        {
            if (saved is null)
            {
                events?.TryWrite(new CheckpointSavedEvent(RunId, step, persistence.ThreadId, persistence.CurrentId!.Value, source));
            }
            else
            {
                saved = AnnounceWhenSaved(saved, persistence.ThreadId, persistence.CurrentId!.Value, step, source);
            }
        }

        return saved;
    }

    /// <summary>
    /// Publishes <see cref="CheckpointSavedEvent"/> once a pending put completes. Its own method so that the
    /// closure is allocated only for puts that are pending, not on every call of <see cref="SaveCheckpoint"/>;
    /// and the step is the one saved, not the one current when the put completes.
    /// </summary>
    private Task AnnounceWhenSaved(Task saved, string threadId, long id, int savedStep, CheckpointSource source) =>
        saved.ContinueWith(
            t =>
            {
                t.GetAwaiter().GetResult();
                events?.TryWrite(new CheckpointSavedEvent(RunId, savedStep, threadId, id, source));
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private void EnsureCapacity(int count)
    {
        if (results.Length < count)
        {
            var size = Math.Max(count, results.Length * 2);
            results = new NodeResult<TUpdate>[size];
            Array.Resize(ref taskIds, size);
            Array.Resize(ref done, size);
            Array.Resize(ref resumeValues, size);
        }
    }

    /// <summary>Dispatches the current step's tasks that have no recorded result.</summary>
    private void DispatchStep()
    {
        var count = tasks.Count;
        var toRun = 0;
        for (var i = 0; i < count; i++)
        {
            if (!done[i])
            {
                toRun++;
            }
        }

        stepInterrupts = null;
        if (toRun == 0)
        {
            Array.Clear(done, 0, count);
            Advance();
            return;
        }

        Volatile.Write(ref outstanding, toRun);
        if (toRun != count)
        {
            // Resumed step: some tasks' results are recorded. Copy what to run first (see below).
            var torun = new List<PlannedTask<TState, TUpdate>>(toRun);
            for (var i = 0; i < count; i++)
            {
                if (!done[i])
                {
                    torun.Add(tasks[i]);
                }
            }

            Array.Clear(done, 0, count);
            foreach (var task in torun)
            {
                executor.Dispatch(this, task);
            }

            return;
        }

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
                GraphLog.JoinSkipped(logger, RunId, join.Target);
            }
        }

        Complete(skipped is not null && options.JoinSkipped == JoinSkippedPolicy.Fail ? new JoinSkippedException(skipped) : null, null);
    }

    private void Fail(Exception error) => Complete(error, null);

    /// <summary>
    /// Ends the run once: finished (no error, no interrupts), interrupted or failed. With persistence, waits for the
    /// store (writes and checkpoints in flight; AtExit's single put) before the run's completion is set.
    /// </summary>
    private void Complete(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }

        if (error is not null)
        {
            cts.Cancel(); // siblings stop now; their late reports are ignored
        }

        if (persistence is null || !persistence.NeedsFlush)
        {
            Finalize(error, interrupts);
            return;
        }

        _ = FlushThenFinalizeAsync(error, interrupts);
    }

    private async Task FlushThenFinalizeAsync(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        try
        {
            await persistence!.FlushAsync().ConfigureAwait(false);
            if (persistence.Durability == CheckpointDurability.AtExit && persistence.Held is { } held)
            {
                events?.TryWrite(new CheckpointSavedEvent(RunId, held.Step, held.ThreadId, held.Id, held.Metadata.Source));
            }
        }
        catch (Exception ex)
        {
            error ??= ex;
            interrupts = null;
        }

        Finalize(error, interrupts);
    }

    private void Finalize(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        if (error is null && interrupts is null)
        {
            events?.TryWrite(new RunFinishedEvent<TState>(RunId, step, state));
            Cleanup();
            completion.TrySetResult(state);
            return;
        }

        if (error is null)
        {
            events?.TryWrite(new InterruptedEvent(RunId, step, CheckpointId, interrupts!));
            Cleanup();
            completion.TrySetException(new GraphInterruptedException(ThreadId, CheckpointId, interrupts!, state));
            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        if (error is not OperationCanceledException)
        {
            GraphLog.RunFailed(logger, error, RunId, step);
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

        Fail(CancellationReason() ?? new OperationCanceledException($"Run '{RunId}' was cancelled in step {step}."));
    }

    /// <summary>Why the run's token fired: the user's token, or the run timeout; null for an internal cancel (a failed sibling).</summary>
    private Exception? CancellationReason() =>
        userToken.IsCancellationRequested ? new OperationCanceledException($"Run '{RunId}' was cancelled in step {step}.", userToken)
        : runTimeout is not null ? new TimeoutException($"Run '{RunId}' exceeded its timeout of {runTimeout} in step {step}.")
        : null;

    private void Cleanup()
    {
        userRegistration.Dispose();
        cancelRegistration.Dispose();
        events?.TryComplete();
        GraphMetrics.RunsInFlight.Add(-1);
        activity?.Dispose();
        if (runTimeout is not null)
        {
            // Stops the timer; tasks still running observe a cancelled (or never-cancelled) token either way.
            cts.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }
}
