using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The run failed, was cancelled or timed out; the last event of such a stream (the stream then throws <paramref name="Exception"/>).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The step in which it failed.</param>
/// <param name="Exception">Why.</param>
public sealed record RunFailedEvent(string RunId, int Step, Exception Exception) : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(Exception), Exception);
        return true;
    }
}
