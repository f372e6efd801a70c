using System.Collections.Immutable;
using System.Diagnostics;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A run's tasks: running one (events, activity, metrics, instance disposal) and counting the reports down to the step's end.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>
    /// Runs one task (see <see cref="RunTaskAsync"/>). A plain task (a delegate node that does not need the full task
    /// path, <see cref="NodeDefinition{TState, TUpdate}.NeedsFullTask"/>, in a run without activity or task metrics
    /// listening) takes the synchronous path: the node is called here (a plain function of the state to its update
    /// directly, with no context or <see cref="ValueTask{TResult}"/>) and, when it completes synchronously, its result is
    /// recorded (with persistence) and reported (which may reduce the step and plan the next) with no state machine.
    /// Never throws.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="instances">For factory nodes, the actor's instances; null for delegate nodes.</param>
    public ValueTask RunTask(in PlannedTask<TState, TUpdate> task, NodeInstances<TState, TUpdate>? instances)
    {
        var node = task.Node;
        if (node.NeedsFullTask || instances is not null || activity is not null
            || GraphMetrics.TaskDuration.Enabled || GraphMetrics.Tasks.Enabled)
        {
            return RunTaskAsync(task, instances);
        }

        if (IsFinished)
        {
            return default;
        }

        events.TaskStarted(task.Step, node.Name, task.Index);
        NodeResult<TUpdate> result;
        try
        {
            if (node.Update is { } update)
            {
                result = NodeResult<TUpdate>.FromUpdate(update(InputOf(task)));
            }
            else
            {
                var call = InvokeAsync(task, null, 1, default);
                if (!call.IsCompletedSuccessfully)
                {
                    return FinishTaskAsync(task, call);
                }

                result = call.Result;
            }
        }
        catch (Exception ex)
        {
            Report(task.Index, default, TaskError(task, ex), recorded: false); // Report records it, with persistence
            return default;
        }

        if (persistence is not null)
        {
            EndPlainTask(task, result);
            return default;
        }

        events.TaskFinished(task.Step, node.Name, task.Index, result);
        Report(task.Index, result, null, recorded: true);
        return default;
    }

    /// <summary>
    /// The end of a plain task whose node returned <paramref name="result"/>: recorded first (with persistence; whoever
    /// sees the TaskFinished event may rely on the write being issued), then the event, then the report. A task of a
    /// run without persistence that completed synchronously ends inline in <see cref="RunTask"/>.
    /// </summary>
    private void EndPlainTask(in PlannedTask<TState, TUpdate> task, in NodeResult<TUpdate> result)
    {
        if (persistence is not null && !IsFinished && Record(task.Index, result, null) is { } failed)
        {
            Report(task.Index, result, failed, recorded: true); // the store failed: the run fails with its error
            return;
        }

        events.TaskFinished(task.Step, task.Node.Name, task.Index, result);
        Report(task.Index, result, null, recorded: true);
    }

    /// <summary>The rest of a plain task (see <see cref="RunTask"/>) whose node did not complete synchronously.</summary>
    private async ValueTask FinishTaskAsync(PlannedTask<TState, TUpdate> task, ValueTask<NodeResult<TUpdate>> call)
    {
        NodeResult<TUpdate> result;
        try
        {
            result = await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Report(task.Index, default, TaskError(task, ex), recorded: false); // Report records it, with persistence
            return;
        }

        EndPlainTask(task, result);
    }

    /// <summary>
    /// What a task reports for an exception its node threw: failures and interrupts as they are, the run's reason
    /// (cancelled or timed out, as <see cref="Report"/> names it) when its token fired, otherwise a <see cref="NodeFailedException"/>.
    /// </summary>
    private Exception TaskError(in PlannedTask<TState, TUpdate> task, Exception error) => error switch
    {
        NodeFailedException or NodeInterruptException => error,
        OperationCanceledException when IsCancellationRequested => CancellationReason() ?? error,
        _ => new NodeFailedException(task.Node.Name, task.Step, task.Index, 1, error),
    };

    /// <summary>
    /// Runs one task: events, activity, metrics, the node's retry policy or resilience pipeline, per-attempt timeout,
    /// then reports the outcome with <see cref="OnTaskCompleted"/>. Never throws. A factory node's task rents an
    /// instance from <paramref name="instances"/> and gives it back (success, interrupt), drops it (failure) or has
    /// quarantined it (a call abandoned while still running).
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="instances">For factory nodes, the actor's instances; null for delegate nodes.</param>
    public async ValueTask RunTaskAsync(PlannedTask<TState, TUpdate> task, NodeInstances<TState, TUpdate>? instances)
    {
        if (IsFinished)
        {
            return;
        }

        var node = task.Node;
        var started = GraphMetrics.TaskDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        using var taskActivity = activity is null ? null : EngineDiagnostics.ActivitySource.StartActivity(GraphDiagnostics.TaskActivity, ActivityKind.Internal, activity.Context);
        taskActivity?.SetTag(GraphDiagnostics.NodeTag, node.Name);
        taskActivity?.SetTag(GraphDiagnostics.StepTag, task.Step);
        events.TaskStarted(task.Step, node.Name, task.Index);
        NodeResult<TUpdate> result = default;
        Exception? error = null;
        INode<TState, TUpdate>? instance = null;
        var cache = node.Options.Cache is null ? null : options.NodeCache;
        var cached = false;
        string? cacheKey = null;
        try
        {
            if (cache is not null)
            {
                (cached, result, cacheKey) = await LookUpCacheAsync(task, node.Options.Cache!, cache).ConfigureAwait(false);
            }

            instance = cached ? null : instances?.Rent(RunId, task.Step);
            if (cached)
            {
                // The cached result stands for the node's: recorded, reduced and reported as if it had run.
            }
            else if (node.Pipeline is null && node.Options.Timeout is null && node.Options.IdleTimeout is null)
            {
                // The context asks the run for its token; see NodeContinuations for where this continues.
                result = await InvokeAsync(task, instance, 1, default).ConfigureAwait(NodeContinuations.OnCapturedContext);
            }
            else
            {
                var attempts = new PolicyAttempts(this, task, instances, instance);
                try
                {
                    result = await InvokeWithPoliciesAsync(attempts).ConfigureAwait(false);
                }
                finally
                {
                    instance = attempts.Instance; // null when the last attempt's instance was quarantined
                }
            }

            if (cacheKey is not null && !cached)
            {
                await StoreInCacheAsync(task, node.Options.Cache!, cache!, cacheKey, result).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = TaskError(task, ex);
        }

        if (instance is not null)
        {
            await (error is null or NodeInterruptException ? instances!.ReturnAsync(instance) : instances!.DropAsync(instance)).ConfigureAwait(false);
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

        if (error is NodeFailedException failedTask && !IsFinished)
        {
            (result, error) = HandleFailure(task, failedTask);
        }

        if (persistence is not null && !IsFinished)
        {
            // Recorded before the TaskFinished event: whoever sees the event may rely on the write being issued.
            error = Record(task.Index, result, error);
        }

        if (error is null)
        {
            events.TaskFinished(task.Step, node.Name, task.Index, result, cached);
        }
        else
        {
            taskActivity?.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        Report(task.Index, result, error, recorded: true);
    }

    /// <summary>
    /// Reports a task's outcome. A failure ends the run at once (siblings are cancelled, their late reports ignored).
    /// The report that completes the step reduces it, plans the next step and dispatches it on the calling thread.
    /// </summary>
    public void OnTaskCompleted(int taskIndex, NodeResult<TUpdate> result, Exception? error) => Report(taskIndex, result, error, recorded: false);

    private void Report(int taskIndex, NodeResult<TUpdate> result, Exception? error, bool recorded)
    {
        if (IsFinished)
        {
            return;
        }

        if (error is OperationCanceledException && IsCancellationRequested)
        {
            // The run's token fired and reached this task first (a mailbox send, a node): its callbacks run newest
            // first, so this report can precede the run's own OnCancelled. Name the run's reason either way.
            error = CancellationReason() ?? error;
        }

        if (!recorded && persistence is not null)
        {
            error = Record(taskIndex, result, error);
        }

        if (error is NodeInterruptException interrupt && persistence is not null)
        {
            // Sibling tasks report concurrently: pushed without a lock.
            ImmutableInterlocked.Update(
                ref Extras.StepInterrupts,
                static (raised, entry) => (raised ?? ImmutableStack<(int Index, GraphInterrupt Interrupt)>.Empty).Push(entry),
                (taskIndex, interrupt.Interrupt));

            ResultAt(taskIndex) = default;
        }
        else if (error is not null && !ContinueAfterFailure(taskIndex, error))
        {
            Fail(error);
            return;
        }
        else
        {
            ResultAt(taskIndex) = result;
        }

        // A step of one task has one report: it ends the step without the countdown (which a handed-off step never sets).
        // So a second report of a one-task step would plan again: every path reports a task once (the dead-letter
        // observer reports only a message that never ran or whose handler faulted before reporting: DeadLetters).
        if (taskCount == 1 || Interlocked.Decrement(ref outstanding) == 0)
        {
            var room = events.WaitForRoomAsync();
            if (!room.IsCompletedSuccessfully)
            {
                _ = AdvanceWhenStreamHasRoomAsync(room); // a slow consumer holds the next step back
                return;
            }

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

    /// <summary>Plans the next step once the stream's consumer has caught up (<see cref="StreamOverflow.Wait"/>).</summary>
    private async Task AdvanceWhenStreamHasRoomAsync(ValueTask room)
    {
        try
        {
            GraphLog.StreamWaiting(logger, RunId, step);
            await room.ConfigureAwait(false);
            if (!IsFinished)
            {
                Advance();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }
}
