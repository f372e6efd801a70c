using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// The outcome of one task of a step that has not completed yet, recorded against the checkpoint the step
/// started from, so that resuming that checkpoint neither re-runs nor loses the task's work.
/// </summary>
/// <param name="TaskId">The id of the task (as in <see cref="PlannedTaskRecord.TaskId"/>).</param>
/// <param name="Node">The name of the node the task ran.</param>
/// <param name="Kind">Whether the task produced an update, interrupted or failed.</param>
/// <param name="Payload">The serialized update, interrupt value or error description.</param>
/// <remarks>Equality compares the payload bytes, not the buffer reference.</remarks>
[DebuggerDisplay("{Kind} from {Node} (task {TaskId}, {Payload.Length} bytes)")]
public sealed record PendingWrite(string TaskId, string Node, PendingWriteKind Kind, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Compares the ids, node, kind and payload bytes.</summary>
    /// <param name="other">The write to compare with.</param>
    /// <returns><see langword="true"/> when both describe the same write.</returns>
    public bool Equals(PendingWrite? other) =>
        other is not null
        && string.Equals(TaskId, other.TaskId, StringComparison.Ordinal)
        && string.Equals(Node, other.Node, StringComparison.Ordinal)
        && Kind == other.Kind
        && ContentEquality.Bytes(Payload, other.Payload);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TaskId, Node, Kind, ContentEquality.Hash(Payload));
}
