namespace Graph.Engine.Graphs;

/// <summary>A join's own branch-failure policy: it holds for failed tasks of the join's sources.</summary>
internal sealed record JoinFailurePolicy<TUpdate>(string[] Sources, string Target, BranchFailurePolicy Policy, Func<NodeFailure, TUpdate>? Collect);
