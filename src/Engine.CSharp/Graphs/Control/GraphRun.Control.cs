using System.Collections.Immutable;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A run's failure and flow control: error handlers, the branch-failure policy, draining and durable timers (docs/control.md).</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    public TimeProvider Time => options.TimeProvider;

    /// <summary>
    /// Gives a task's failure to its error handler (node's, graph's default, or the collector). Returns the handler's
    /// result, or the error that stands: the failure without a handler, the handler's interrupt, or its own failure.
    /// With persistence the failure is recorded first, as a pending error write of the task.
    /// </summary>
    private (NodeResult<TUpdate> Result, Exception? Error) HandleFailure(in PlannedTask<TState, TUpdate> task, NodeFailedException failed)
    {
        var handler = model.Control.HandlerOf(task.Node.Index);
        if (handler is null || failed.InnerException is ParentCommandException)
        {
            return (default, failed);
        }

        var node = task.Node.Name;
        if (persistence is not null && Record(task.Index, default, failed) is var recorded && !ReferenceEquals(recorded, failed))
        {
            return (default, recorded); // the store failed
        }

        var taskId = persistence is null ? TaskIdOf(task.Step, task.Index, node) : taskIds[task.Index];
        var scope = persistence is null ? null : InterruptScope.For(taskId, resumeValues[task.Index]);
        var context = new NodeContext(this, node, task.Step, task.Index, failed.Attempts, default, scope);
        try
        {
            var result = handler(state, NodeFailure.From(failed, taskId), context);
            ControlLog.FailureHandled(logger, failed.InnerException, RunId, node, task.Step);
            return (result, null);
        }
        catch (NodeInterruptException interrupt)
        {
            return (default, interrupt);
        }
        catch (Exception ex)
        {
            return (default, new NodeFailedException(
                node,
                task.Step,
                task.Index,
                failed.Attempts,
                new InvalidOperationException($"The error handler of node '{node}' threw {ex.GetType().Name} ({ex.Message}) while handling: {failed.InnerException?.Message}", ex)));
        }
    }

    /// <summary>Under <see cref="BranchFailurePolicy.ContinueOthers"/> (the graph's, or the join's the node feeds), keeps a task's failure for the end of the step and returns true.</summary>
    private bool ContinueAfterFailure(int taskIndex, Exception error)
    {
        if (error is not NodeFailedException failed || model.Control.PolicyOf(TaskAt(taskIndex).Node.Index) != BranchFailurePolicy.ContinueOthers)
        {
            return false;
        }

        ImmutableInterlocked.Update(
            ref Extras.StepFailures,
            static (kept, entry) => (kept ?? ImmutableStack<(int Index, NodeFailedException Error)>.Empty).Push(entry),
            (taskIndex, failed));
        ResultAt(taskIndex) = default;
        return true;
    }

    /// <summary>The step's kept failures as one exception (null when none failed): checked when the step ends, before it is applied.</summary>
    private StepFailedException? StepFailure()
    {
        if (stepFailures is not { IsEmpty: false } kept)
        {
            return null;
        }

        var ordered = kept.OrderBy(f => f.Index).ToArray();
        return new StepFailedException(
            step,
            [.. ordered.Select(f => NodeFailure.From(f.Error, taskIds[f.Index] ?? TaskIdOf(step, f.Index, f.Error.Node)))],
            ordered.Select(f => f.Error));
    }

    /// <summary>A persisted run stops at the step boundary once its graph drains or its <see cref="RunOptions.DrainToken"/> fires.</summary>
    private bool DrainRequested() =>
        persistence is not null && (model.Control.Drain.IsDraining || drainToken.IsCancellationRequested);

    /// <summary>
    /// On resume: gives the due durable timers among <paramref name="pending"/> their value and takes them out of the
    /// interrupts to resume. When one is not due yet, ends the run as waiting (nothing runs, nothing is written) and
    /// returns true.
    /// </summary>
    private bool ResumeTimers(List<(int Index, GraphInterrupt Interrupt, IReadOnlyList<object?> Earlier)> pending)
    {
        var now = options.TimeProvider.GetUtcNow();
        var timers = 0;
        foreach (var p in pending)
        {
            if (p.Interrupt.Value is DurableTimer timer)
            {
                if (timer.WakeAt > now)
                {
                    Complete(null, [.. pending.Select(q => q.Interrupt)]);
                    return true;
                }

                timers++;
            }
        }

        if (timers > 0)
        {
            foreach (var p in pending)
            {
                if (p.Interrupt.Value is DurableTimer timer)
                {
                    resumeValues[p.Index] = [.. p.Earlier, timer];
                }
            }

            pending.RemoveAll(p => p.Interrupt.Value is DurableTimer);
        }

        return false;
    }
}
