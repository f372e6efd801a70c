using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The run stopped at interrupts; the last event of an interrupted stream (which then ends without an exception).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The step that was interrupted (or after which the run stopped).</param>
/// <param name="CheckpointId">The checkpoint to resume.</param>
/// <param name="Interrupts">The pending interrupts.</param>
public sealed record InterruptedEvent(string RunId, int Step, long? CheckpointId, IReadOnlyList<GraphInterrupt> Interrupts)
    : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(CheckpointId), CheckpointId).Member(nameof(Interrupts), ValueText.List(Interrupts.Select(i => i.ToString())));
        return true;
    }
}
