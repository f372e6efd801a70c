using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>Resuming a run from a checkpoint: join progress, planned tasks, recorded results and resume values.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>
    /// Resumes the run from <paramref name="checkpoint"/> (whose state the run was created with): restores join
    /// progress and the planned tasks, takes the results of tasks whose updates are recorded, gives resume values to
    /// interrupted tasks and runs the rest. Static interrupts before this step are not raised again.
    /// </summary>
    public void StartFrom(Checkpoint checkpoint, Resume resume, CancellationToken cancellationToken)
    {
        if (!Begin(cancellationToken))
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
            var list = BeginStepTasks(count)!; // persistence: the tasks live in the buffers
            for (var i = 0; i < count; i++)
            {
                var record = checkpoint.NextTasks[i];
                var node = model.Find(record.Node)
                    ?? throw new CheckpointStoreException($"Checkpoint {checkpoint.Id} of thread '{checkpoint.ThreadId}' plans node '{record.Node}', which this graph does not have.");
                object? argument = null;
                if (record.SendArgument is { } bytes)
                {
                    argument = CheckpointCodec.DeserializeObject(serializer, node.SendType, bytes);
                }

                list.Add(new PlannedTask<TState, TUpdate>(node, step + 1, i, record.SendArgument is not null, argument));
                taskIds[i] = record.TaskId;
                done[i] = false;
                resumeValues[i] = null;
                ResultAt(i) = default;
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
                    ResultAt(i) = CheckpointCodec.DecodeResult(serializer, model, write.Payload);
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

            if (ResumeTimers(pending))
            {
                return;
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
}
