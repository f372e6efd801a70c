using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>What a subgraph task reads from its parent run.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <inheritdoc />
    public ICheckpointer? Checkpointer => persistence is null ? null : options.Checkpointer;

    /// <inheritdoc />
    public CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child) =>
        executor is ISubgraphSource source ? source.Subgraph(node, child) : child;
}
