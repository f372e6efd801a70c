using Graph.Engine.Checkpoints;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The step planner: reduces a finished step, plans the next one from edges, joins, routers and sends, saves
/// its checkpoint and dispatches it.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>Reduces the finished step and plans the next one: the common one-task step on its own path, any other here.</summary>
    private void Advance()
    {
        if (!TryAdvanceSingle())
        {
            AdvanceAny();
        }
    }

    private void AdvanceAny()
    {
        var count = taskCount;
        if (StepFailure() is { } failedStep)
        {
            Fail(failedStep); // ContinueOthers: the step is not applied; its successful writes are recorded
            return;
        }

        if (stepInterrupts is { IsEmpty: false } raised)
        {
            // The step is not reduced: checkpoint N stays the latest, with the finished siblings' writes recorded.
            Complete(null, [.. raised.OrderBy(r => r.Index).Select(r => r.Interrupt)]);
            return;
        }

        updates.Clear();
        for (var i = 0; i < count; i++)
        {
            ref readonly var r = ref ResultAt(i);
            if (r.HasUpdate)
            {
                updates.Add(new NodeUpdate<TUpdate>(TaskAt(i).Node.Name, step, i, r.Update));
            }
        }

        IReadOnlyList<string> writers = persistence is null || updates.Count == 0
            ? []
            : updates.Count == 1
                ? persistence.Cache.SingleWriter(TaskAt(updates[0].TaskIndex).Node.Index, updates[0].Node)
                : [.. updates.Select(u => u.Node)];
        try
        {
            state = model.Reducer(state, updates);
        }
        catch (Exception ex) when (ex is not InvalidUpdateException && NullUpdate(ex) is { } named)
        {
            throw named;
        }

        updates.Clear();
        GraphMetrics.Steps.Add(1);
        if (events.IsStreaming)
        {
            events.StepFinished(step, state, TaskNames());
        }
        if (IsFinished)
        {
            return;
        }

        List<GraphInterrupt>? after = null;
        if (interruptAfter.Count > 0)
        {
            for (var i = 0; i < count; i++)
            {
                var name = TaskAt(i).Node.Name;
                if (interruptAfter.Contains(name))
                {
                    (after ??= []).Add(new GraphInterrupt($"after:{taskIds[i] ?? TaskIdOf(step, i, name)}", name, taskIds[i] ?? TaskIdOf(step, i, name), InterruptKind.After, null));
                }
            }
        }

        // A map's tasks share one node: plain edges (no router, join or command) trigger the same nodes again, so they are followed once.
        NodeDefinition<TState, TUpdate>? followed = null;
        for (var i = 0; i < count; i++)
        {
            var node = TaskAt(i).Node;
            ref var result = ref ResultAt(i);
            var command = result.Command;
            if (!ReferenceEquals(node, followed) || command is not null)
            {
                FollowEdges(node, command);
                followed = command is null && node.Routers.Length == 0 && node.JoinMemberships.Length == 0 ? node : null;
            }

            result = default;
        }

        PlanAfterRoutes(CheckpointSource.Loop, writers, after);
    }

    private static string TaskIdOf(int step, int index, string node) => $"{step}:{index}:{node}";

    /// <summary>Plans the next step, saves the checkpoint (with persistence), then finishes, interrupts or dispatches.</summary>
    private void PlanAndContinue(CheckpointSource source, IReadOnlyList<string> writers, List<GraphInterrupt>? after)
    {
        var next = step + 1;
        BuildTasks(next);
        ContinueWithTasks(SaveCheckpoint(source, writers), after, next);
    }

    /// <summary>
    /// With step <paramref name="next"/>'s tasks built and its checkpoint <paramref name="saved"/> (or being saved; null
    /// without persistence): finishes, interrupts (<paramref name="after"/> the finished step, or before the next), stops
    /// for a drain or the recursion limit, or dispatches the step.
    /// </summary>
    /// <remarks>
    /// The per-step path allocates nothing: no lambda here captures a local (a capture would allocate its closure on
    /// every call, whichever branch runs); the rare endings build theirs in <see cref="ThenComplete"/>.
    /// </remarks>
    private void ContinueWithTasks(Task? saved, List<GraphInterrupt>? after, int next)
    {
        var count = taskCount;
        if (count == 0)
        {
            if (saved is null || saved.IsCompletedSuccessfully)
            {
                Finish(); // not through Then: a method group would allocate its delegate on every run
            }
            else
            {
                _ = ThenAsync(saved, Finish);
            }

            return;
        }

        if (after is not null)
        {
            ThenComplete(saved, after);
            return;
        }

        if (interruptBefore.Count > 0 || stopRequested)
        {
            List<GraphInterrupt>? before = null;
            for (var i = 0; i < count; i++)
            {
                var name = TaskAt(i).Node.Name;
                if (stopRequested || interruptBefore.Contains(name))
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

        if (DrainRequested())
        {
            ThenComplete(saved, []); // drained: checkpoint N plans the next step; no interrupts
            return;
        }

        if (next - stepBase > stepLimit)
        {
            throw new GraphRecursionLimitException(stepLimit, TaskNames());
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

    /// <summary>Dispatches the current step's tasks that have no recorded result.</summary>
    private void DispatchStep()
    {
        var count = taskCount;
        stepInterrupts = null;
        if (buffers is null)
        {
            PublishStep(count, null); // no recorded results: they live in the buffers
            return;
        }

        var toRun = buffers.Unrecorded(count);
        if (toRun == 0)
        {
            Array.Clear(done, 0, count);
            Advance();
            return;
        }

        int[]? order = null;
        if (toRun != count)
        {
            // Resumed step: some tasks' results are recorded; only the others are claimed.
            order = new int[toRun];
            var at = 0;
            for (var i = 0; i < count; i++)
            {
                if (!done[i])
                {
                    order[at++] = i;
                }
            }

            Array.Clear(done, 0, count);
        }

        // After publishing another thread may already be planning the next step: read nothing afterwards.
        PublishStep(toRun, order);
    }

    /// <summary>When the reducer failed on a step with null updates: an exception naming them (else null: the reducer's own error stands).</summary>
    private InvalidUpdateException? NullUpdate(Exception reducerError)
    {
        List<string>? nodes = null;
        foreach (var u in updates)
        {
            if (u.Update is null)
            {
                (nodes ??= []).Add(u.Node);
            }
        }

        return nodes is null
            ? null
            : new InvalidUpdateException(
                nodes,
                $"Run '{RunId}': node(s) {string.Join(", ", nodes.Select(n => $"'{n}'"))} returned a null update in step {step}, which the reducer cannot apply ({reducerError.GetType().Name}: {reducerError.Message}). Return NodeResult<{typeof(TUpdate).Name}>.None for no update.",
                reducerError);
    }
}
