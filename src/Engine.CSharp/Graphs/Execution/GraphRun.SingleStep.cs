using System.Runtime.CompilerServices;
using Graph.Engine.Checkpoints;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The planner's path for the most common step: one task, whose node goes on by at most one plain edge (no router,
/// join or command), of a graph built with a per-update reducer. The update is folded into the state in place and the
/// next step's one task is built directly: no update list, no batch reducer, none of the planner's lists. With
/// persistence the task lives in the run's buffers with its id, and the step's checkpoint is saved as
/// <see cref="AdvanceAny"/> saves it (its single writer, the next task). Everything else the step does is what
/// <see cref="Advance"/> does for it.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>Reduces the finished step and plans the next one when it is such a step; false (nothing done) otherwise.</summary>
    private bool TryAdvanceSingle()
    {
        if (taskCount != 1 || stepFailures is not null || model.Fold is not { } fold)
        {
            return false;
        }

        if (persistence is { } persisted)
        {
            return TryAdvanceSinglePersisted(persisted, fold);
        }

        var node = singleNode!;
        ref var result = ref singleResult;
        if (!IsSingleStep(node, result))
        {
            return false;
        }

        if (ReduceSingle(node, ref result, fold))
        {
            return true;
        }

        var targets = node.EdgeTargets;
        var next = step + 1;
        BeginStepTasks(targets.Length);
        if (targets.Length == 1)
        {
            SetSingleTask(targets[0], NotSent);
        }

        ContinueWithTasks(null, null, next);
        return true;
    }

    /// <summary>
    /// <see cref="TryAdvanceSingle"/> for a run with persistence: the task lives in the run's buffers with its id, and
    /// the step's checkpoint is saved as <see cref="AdvanceAny"/> saves it (its single writer, the next task).
    /// </summary>
    private bool TryAdvanceSinglePersisted(RunPersistence persisted, Func<TState, TUpdate, TState> fold)
    {
        if (stepInterrupts is { IsEmpty: false })
        {
            return false; // the step is not reduced: AdvanceAny completes the run with its interrupt
        }

        var node = buffers!.Tasks[0].Node;
        ref var result = ref buffers.Results[0];
        if (!IsSingleStep(node, result))
        {
            return false;
        }

        var writers = result.HasUpdate ? persisted.Cache.SingleWriter(node.Index, node.Name) : [];
        if (ReduceSingle(node, ref result, fold))
        {
            return true;
        }

        var targets = node.EdgeTargets;
        var next = step + 1;
        var tasks = BeginStepTasks(targets.Length)!;
        if (targets.Length == 1)
        {
            // BuildTasks for one triggered node: the task, its id, no resume values.
            var target = targets[0];
            tasks.Add(new PlannedTask<TState, TUpdate>(target, next, 0, false, null));
            resumeValues[0] = null;
            taskIds[0] = persisted.Cache.Task(next, 0, target.Index, target.Name).Record.TaskId;
        }

        ContinueWithTasks(SaveCheckpoint(CheckpointSource.Loop, writers), null, next);
        return true;
    }

    /// <summary>Whether the finished one-task step of <paramref name="node"/> goes on by at most one plain edge (no router, join, command or interrupt after).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsSingleStep(NodeDefinition<TState, TUpdate> node, in NodeResult<TUpdate> result) =>
        result.Command is null && node.EdgeTargets.Length <= 1 && node.Routers.Length == 0 && node.JoinMemberships.Length == 0 && interruptAfter.Count == 0;

    /// <summary>
    /// Folds the one-task step's update into the state and reports the step (metrics, event). Returns true when the run
    /// has ended meanwhile (nothing more to plan); otherwise clears <paramref name="result"/> and returns false.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReduceSingle(NodeDefinition<TState, TUpdate> node, ref NodeResult<TUpdate> result, Func<TState, TUpdate, TState> fold)
    {
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
        return false;
    }
}
