using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// The snapshot of a step that stopped part-way (an interrupt, a failure, a crash), as LangGraph shows it: the finished
/// tasks' writes folded into the values, only the tasks still to run in <c>Next</c>, and the failed tasks' errors.
/// </summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private (TState Values, IReadOnlyList<string> Next, IReadOnlyList<TaskError> Errors) StoppedStep(
        Checkpoint checkpoint,
        Dictionary<string, int> position,
        string[] completed)
    {
        var values = checkpoint.ReadState<TState>(options.Serializer);
        IReadOnlyList<string> planned = [.. checkpoint.NextTasks.Select(t => t.Node)];
        if (completed.Length == 0 && !checkpoint.PendingWrites.Any(w => w.Kind == PendingWriteKind.Error))
        {
            return (values, planned, []);
        }

        var done = new HashSet<string>(completed, StringComparer.Ordinal);
        var errors = checkpoint.PendingWrites
            .Where(w => w.Kind == PendingWriteKind.Error && position.ContainsKey(w.TaskId) && !done.Contains(w.TaskId))
            .OrderBy(w => position[w.TaskId])
            .Select(w => new TaskError(w.TaskId, w.Node, System.Text.Encoding.UTF8.GetString(w.Payload.Span)))
            .ToArray();

        // Every task ran: the step is reduced in the next checkpoint, or not yet (a crash before it), and the thread
        // continues from here; either way this checkpoint shows the state before the step and all its tasks.
        if (done.Count == checkpoint.NextTasks.Count)
        {
            return (values, planned, errors);
        }

        var updates = new List<NodeUpdate<TUpdate>>();
        foreach (var write in checkpoint.PendingWrites.Where(w => w.Kind == PendingWriteKind.Update && position.ContainsKey(w.TaskId)).DistinctBy(w => w.TaskId).OrderBy(w => position[w.TaskId]))
        {
            var result = CheckpointCodec.DecodeResult(options.Serializer, Model, write.Payload);
            if (result.HasUpdate)
            {
                updates.Add(new NodeUpdate<TUpdate>(write.Node, checkpoint.Step + 1, position[write.TaskId], result.Update));
            }
        }

        if (updates.Count > 0)
        {
            values = Model.Reducer(values, updates);
        }

        IReadOnlyList<string> next = [.. checkpoint.NextTasks.Where(t => !done.Contains(t.TaskId)).Select(t => t.Node)];
        return (values, next, errors);
    }
}
