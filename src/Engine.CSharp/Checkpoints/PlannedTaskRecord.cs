using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>A task the runner planned for the step after a checkpoint.</summary>
/// <param name="TaskId">The task's id, stable across resumes, to which <see cref="PendingWrite"/>s refer.</param>
/// <param name="Node">The name of the node the task runs.</param>
/// <param name="SendArgument">
/// The serialized input of a task created by <c>Send</c>, or <see langword="null"/> for a task that reads the state.
/// </param>
/// <remarks>Equality compares the argument bytes, not the buffer reference.</remarks>
[DebuggerDisplay("{Node} (task {TaskId})")]
public sealed record PlannedTaskRecord(string TaskId, string Node, ReadOnlyMemory<byte>? SendArgument = null)
{
    /// <summary>Compares the ids, node and argument bytes.</summary>
    /// <param name="other">The task to compare with.</param>
    /// <returns><see langword="true"/> when both describe the same task.</returns>
    public bool Equals(PlannedTaskRecord? other) =>
        other is not null
        && string.Equals(TaskId, other.TaskId, StringComparison.Ordinal)
        && string.Equals(Node, other.Node, StringComparison.Ordinal)
        && ContentEquality.Bytes(SendArgument, other.SendArgument);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(TaskId, Node, SendArgument is { } argument ? ContentEquality.Hash(argument) : -1);
}
