using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>What a subgraph task reads from its parent run.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <inheritdoc />
    public override ICheckpointer? Checkpointer => persistence is null ? null : options.Checkpointer;
}
