using System.Diagnostics;
using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>One pending interrupt of a thread: resume it with <see cref="Resume.ById"/> (or <see cref="Resume.With"/> when it is the only one).</summary>
/// <param name="Id">The interrupt's id: <c>taskId#n</c> for the n-th (0-based) interrupt call of a task, <c>before:taskId</c> or <c>after:step:node</c> for static interrupts.</param>
/// <param name="Node">The node that interrupted (or is interrupted before / after).</param>
/// <param name="TaskId">The id of the task (<see cref="NodeContext.TaskId"/>).</param>
/// <param name="Kind">Dynamic, before or after.</param>
/// <param name="Value">The payload the node passed to <see cref="NodeContext.Interrupt{TResume}(object?)"/>; null for static interrupts.</param>
[DebuggerDisplay("{Kind} interrupt {Id,nq}")]
public sealed record GraphInterrupt(string Id, string Node, string TaskId, InterruptKind Kind, object? Value)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Member(nameof(Id), Id, first: true).Member(nameof(Node), Node).Member(nameof(TaskId), TaskId).Member(nameof(Kind), Kind).Member(nameof(Value), Value);
        return true;
    }
}
