namespace Graph.Engine.Checkpoints;

/// <summary>
/// The runner's fast path into the stores of this repository: the caller hands over a checkpoint or write whose
/// buffers and lists it created for the call and never touches again (or that are immutable and shared), so the
/// store keeps them without the defensive copy of the public methods. Semantics are those of
/// <see cref="ICheckpointer.PutAsync"/> and <see cref="ICheckpointer.PutWritesAsync"/> (same validation, same ordering).
/// </summary>
internal interface IOwnedCheckpointSink
{
    Task PutOwnedAsync(Checkpoint checkpoint, CheckpointDurability durability);

    Task PutWriteOwnedAsync(string threadId, long checkpointId, PendingWrite write);
}
