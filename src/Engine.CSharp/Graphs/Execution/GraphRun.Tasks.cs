using System.Collections.Immutable;
using System.Diagnostics;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A run's tasks: running one (events, activity, metrics, instance disposal) and counting the reports down to the step's end.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
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

            result = node.Pipeline is null && node.Options.Timeout is null
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
            // The run's token fired: name the run's reason (cancelled or timed out), as Report does.
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

    private void Report(int taskIndex, NodeResult<TUpdate> result, Exception? error, bool recorded)
    {
        if (IsFinished)
        {
            return;
        }

        if (error is OperationCanceledException && cts.IsCancellationRequested)
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
                ref stepInterrupts,
                static (raised, entry) => (raised ?? ImmutableStack<(int Index, GraphInterrupt Interrupt)>.Empty).Push(entry),
                (taskIndex, interrupt.Interrupt));

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
}
