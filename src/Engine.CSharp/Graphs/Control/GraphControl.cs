namespace Graph.Engine.Graphs;

/// <summary>
/// A compiled graph's failure and flow control: error handlers per node (by index), the branch-failure policy and its
/// collector, and the drain of its runs. Immutable apart from the drain.
/// </summary>
internal sealed class GraphControl<TState, TUpdate>
{
    private readonly Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>?[] handlers;
    private readonly BranchFailurePolicy[] policies;

    /// <summary>Creates the control from per-node handlers and per-node policies (indexed like the model's nodes; empty: none, FailFast).</summary>
    public GraphControl(Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>?[] handlers, BranchFailurePolicy[] policies)
    {
        this.handlers = handlers;
        this.policies = policies;
    }

    /// <summary>The policy for a failed task of the node: its join's, else the graph's.</summary>
    public BranchFailurePolicy PolicyOf(int nodeIndex) =>
        nodeIndex < policies.Length ? policies[nodeIndex] : BranchFailurePolicy.FailFast;

    /// <summary>The drain of the graph's runs (one per compiled graph).</summary>
    public RunDrain Drain { get; } = new();

    /// <summary>The node's handler, else the graph's default, else the collector when the node's policy is <see cref="BranchFailurePolicy.Collect"/>; null: the failure stands.</summary>
    public Func<TState, NodeFailure, NodeContext, NodeResult<TUpdate>>? HandlerOf(int nodeIndex) =>
        nodeIndex < handlers.Length ? handlers[nodeIndex] : null;
}
