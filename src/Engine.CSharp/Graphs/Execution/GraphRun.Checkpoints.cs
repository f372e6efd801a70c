using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>What a persisted run writes: checkpoints after each step, pending writes per task, and state updates.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
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
                ApplyRouter(StateGraph.Start, router);
            }
        }
        else
        {
            FollowEdges(node, null);
        }

        if (queuedRoutes is not null)
        {
            await ApplyQueuedRoutesAsync().ConfigureAwait(false);
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

    /// <summary>
    /// Records a task's outcome as a pending write against the checkpoint its step started from (update, interrupt or
    /// error). Returns the error to report: the task's own, or the store's if recording failed.
    /// </summary>
    private Exception? Record(int taskIndex, in NodeResult<TUpdate> result, Exception? error)
    {
        var p = persistence!;
        try
        {
            var node = TaskAt(taskIndex).Node.Name;
            var id = taskIds[taskIndex];
            if (error is NodeInterruptException interrupt)
            {
                p.RecordWrite(id, node, PendingWriteKind.Interrupt, CheckpointCodec.EncodeInterrupt(p.Serializer, interrupt.Interrupt, interrupt.EarlierValues));
            }
            else if (error is null)
            {
                if (result.Command is not null || !result.HasUpdate || !p.TryRecordInlineUpdate(id, node, result.Update))
                {
                    p.RecordWrite(id, node, PendingWriteKind.Update, CheckpointCodec.EncodeResult(p.Serializer, model, result));
                }
            }
            else if (error is not OperationCanceledException)
            {
                p.RecordWrite(id, node, PendingWriteKind.Error, CheckpointCodec.EncodeError(error));
            }

            return error;
        }
        catch (Exception ex)
        {
            return error is null or NodeInterruptException ? ex : error;
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

    private Task? SaveCheckpoint(CheckpointSource source, IReadOnlyList<string> writers)
    {
        if (persistence is null)
        {
            return null;
        }

        var serializer = persistence.Serializer;
        var cache = persistence.Cache;
        IReadOnlyList<PlannedTaskRecord> next;
        if (taskCount == 0)
        {
            next = [];
        }
        else if (taskCount == 1 && !TaskAt(0).IsSend)
        {
            var only = TaskAt(0).Node;
            next = cache.Task(step + 1, 0, only.Index, only.Name).Single;
        }
        else
        {
            var records = new PlannedTaskRecord[taskCount];
            for (var i = 0; i < records.Length; i++)
            {
                var task = TaskAt(i);
                records[i] = task.IsSend
                    ? new PlannedTaskRecord(taskIds[i], task.Node.Name, CheckpointCodec.SerializeObject(serializer, task.Node.SendType, task.Argument))
                    : cache.Task(step + 1, i, task.Node.Index, task.Node.Name).Record;
            }

            next = records;
        }

        // Planner state only matters for joins: a graph without joins stores none (read back as "no progress").
        var planner = model.Joins.Length == 0 ? ReadOnlyMemory<byte>.Empty : CheckpointCodec.EncodePlanner(GetPlannerState());
        var given = Volatile.Read(ref runId); // a generated id is recorded as its number, made text only when read
        var saved = persistence.Save(source, step, state, next, planner, writers, given, given is null ? RunNumber : 0);
        if (persistence.Durability != CheckpointDurability.AtExit)
        {
            if (saved is null)
            {
                events.CheckpointSaved(step, persistence.ThreadId, persistence.CurrentId!.Value, source);
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
                events.CheckpointSaved(savedStep, threadId, id, source);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
