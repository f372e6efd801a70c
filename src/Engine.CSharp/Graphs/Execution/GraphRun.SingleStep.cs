using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The planner's path for the most common step: one task, whose node goes on by at most one plain edge (no router,
/// join or command), in a run without persistence, of a graph built with a per-update reducer. The update is folded
/// into the state in place and the next step's one task is built directly: no update list, no batch reducer, none
/// of the planner's lists. Everything else the step does is what <see cref="Advance"/> does for it.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>Reduces the finished step and plans the next one when it is such a step; false (nothing done) otherwise.</summary>
    private bool TryAdvanceSingle()
    {
        if (taskCount != 1 || persistence is not null || stepFailures is not null || model.Fold is not { } fold)
        {
            return false;
        }

        var node = singleNode!;
        var targets = node.EdgeTargets;
        ref var result = ref singleResult;
        if (result.Command is not null || targets.Length > 1 || node.Routers.Length != 0 || node.JoinMemberships.Length != 0 || interruptAfter.Count != 0)
        {
            return false;
        }

        if (result.HasUpdate)
        {
            var update = result.Update;
            try
            {
                state = fold(state, update);
            }
            catch (Exception ex) when (update is null && ex is not InvalidUpdateException)
            {
                updates.Add(new NodeUpdate<TUpdate>(node.Name, step, 0, update!));
                throw NullUpdate(ex)!;
            }
        }

        GraphMetrics.Steps.Add(1);
        if (events.IsStreaming)
        {
            events.StepFinished(step, state, [node.Name]);
        }

        if (IsFinished)
        {
            return true;
        }

        result = default;
        var next = step + 1;
        BeginStepTasks(targets.Length);
        if (targets.Length == 1)
        {
            SetSingleTask(targets[0], NotSent);
        }

        ContinueWithTasks(null, null, next);
        return true;
    }
}
