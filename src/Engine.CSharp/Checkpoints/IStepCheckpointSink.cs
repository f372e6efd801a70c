namespace Graph.Engine.Checkpoints;

/// <summary>
/// The runner's path into a store that keeps checkpoints in a form of its own (the in-memory store): a step's
/// checkpoint and a task's pending write are handed over as fields, so no <see cref="Checkpoint"/>,
/// <see cref="CheckpointMetadata"/> or <see cref="PendingWrite"/> is built for them, and a state or update of a type
/// <see cref="InlineBits{T}"/> supports is handed over as its bits, not serialized (see <see cref="InlineValue"/>). Ownership, validation and
/// ordering are those of <see cref="IOwnedCheckpointSink"/>.
/// </summary>
internal interface IStepCheckpointSink
{
    Task PutStepAsync(in StepCheckpoint checkpoint, CheckpointDurability durability);

    Task PutWriteAsync(string threadId, long checkpointId, string taskId, string node, PendingWriteKind kind, byte[] payload);

    /// <summary>A pending write whose payload is kept inline: <paramref name="bits"/>, encoded by <paramref name="payload"/> when read.</summary>
    Task PutWriteAsync(string threadId, long checkpointId, string taskId, string node, PendingWriteKind kind, InlineValue payload, long bits);
}
