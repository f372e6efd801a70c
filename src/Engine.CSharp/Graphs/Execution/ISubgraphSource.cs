namespace Graph.Engine.Graphs;

/// <summary>
/// An executor that chooses the child graph a subgraph task of its run executes: Graph.Engine.Testing's deterministic
/// executor gives a copy of the child that runs on the test's scheduler with the stubs the test set for the child's nodes.
/// </summary>
internal interface ISubgraphSource
{
    /// <summary>The graph a task of subgraph node <paramref name="node"/> runs in place of <paramref name="child"/> (or <paramref name="child"/> itself).</summary>
    CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child);
}
