namespace Graph.Engine.Checkpoints;

/// <summary>The runner's puts and writes, kept as given without a <see cref="Checkpoint"/> built for them.</summary>
public sealed partial class InMemoryCheckpointer : IStepCheckpointSink
{
    /// <inheritdoc />
    Task IStepCheckpointSink.PutStepAsync(in StepCheckpoint checkpoint, CheckpointDurability durability)
    {
        Checkpoint.ValidateIds(checkpoint.ThreadId, checkpoint.Id, checkpoint.ParentId, nameof(checkpoint));
        var kept = new Kept(
            checkpoint.Id, checkpoint.ParentId, checkpoint.Step, checkpoint.State ?? (object)checkpoint.InlineState!, checkpoint.StateBits,
            checkpoint.NextTasks, checkpoint.Source, checkpoint.Writers, checkpoint.CreatedAt);
        var shape = new ShapeParts(
            checkpoint.StateType, checkpoint.Properties, checkpoint.PlannerState.IsEmpty ? null : Kept.WholeArray(checkpoint.PlannerState), Kept.OffsetOf(checkpoint.CreatedAt));
        return Put(checkpoint.ThreadId, kept, shape, null);
    }

    /// <inheritdoc />
    Task IStepCheckpointSink.PutWriteAsync(string threadId, long checkpointId, string taskId, string node, PendingWriteKind kind, byte[] payload)
    {
        Checkpoint.ValidateThreadId(threadId);
        return AddWrite(threadId, checkpointId, taskId, node, kind, payload, 0);
    }

    /// <inheritdoc />
    Task IStepCheckpointSink.PutWriteAsync(string threadId, long checkpointId, string taskId, string node, PendingWriteKind kind, InlineValue payload, long bits)
    {
        Checkpoint.ValidateThreadId(threadId);
        return AddWrite(threadId, checkpointId, taskId, node, kind, payload, bits);
    }
}
