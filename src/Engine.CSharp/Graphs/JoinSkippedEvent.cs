using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The run ended while a join had seen only some of its sources, so its target never ran for them.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The last superstep.</param>
/// <param name="Target">The join's target node.</param>
/// <param name="FinishedSources">The sources that finished since the join last fired.</param>
/// <param name="MissingSources">The sources that did not.</param>
public sealed record JoinSkippedEvent(string RunId, int Step, string Target, IReadOnlyList<string> FinishedSources, IReadOnlyList<string> MissingSources)
    : GraphEvent(RunId, Step)
{
    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Member(nameof(Target), Target).Member(nameof(FinishedSources), ValueText.List(FinishedSources)).Member(nameof(MissingSources), ValueText.List(MissingSources));
        return true;
    }
}
