using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>An event a node wrote with <see cref="NodeContext.Emit(object?)"/>.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep.</param>
/// <param name="Node">The node that emitted it.</param>
/// <param name="TaskIndex">The emitting task's index.</param>
/// <param name="Payload">The payload.</param>
public sealed record CustomEvent(string RunId, int Step, string Node, int TaskIndex, object? Payload) : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(Node), Node).Member(nameof(TaskIndex), TaskIndex).Member(nameof(Payload), Payload);
        return true;
    }
}
