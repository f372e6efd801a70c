namespace Graph.Engine.Graphs;

/// <summary>
/// A compiled graph's failure and flow control: error handlers per node (by index), the branch-failure policy and its
/// collector, and the drain of its runs. Immutable apart from the drain.
/// </summary>
internal sealed class GraphControl<TState, TUpdate>
{
    private readonly Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>?[] handlers;

    public GraphControl(Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>?[] handlers, BranchFailurePolicy policy, Func<NodeFailure, TUpdate>? collect)
    {
        this.handlers = handlers;
        Policy = policy;
        Collect = collect;
    }

    public BranchFailurePolicy Policy { get; }

    public Func<NodeFailure, TUpdate>? Collect { get; }

    /// <summary>The drain of the graph's runs (one per compiled graph).</summary>
    public RunDrain Drain { get; } = new();

    /// <summary>The node's handler, else the graph's default, else the collector under <see cref="BranchFailurePolicy.Collect"/>; null: the failure stands.</summary>
    public Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>? HandlerOf(int nodeIndex) =>
        nodeIndex < handlers.Length ? handlers[nodeIndex] : null;
}
