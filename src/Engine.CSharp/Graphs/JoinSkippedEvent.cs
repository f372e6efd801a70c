namespace Graph.Engine.Graphs;

/// <summary>The run ended while a join had seen only some of its sources, so its target never ran for them.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The last superstep.</param>
/// <param name="Target">The join's target node.</param>
/// <param name="FinishedSources">The sources that finished since the join last fired.</param>
/// <param name="MissingSources">The sources that did not.</param>
public sealed record JoinSkippedEvent(string RunId, int Step, string Target, IReadOnlyList<string> FinishedSources, IReadOnlyList<string> MissingSources)
    : GraphEvent(RunId, Step);
