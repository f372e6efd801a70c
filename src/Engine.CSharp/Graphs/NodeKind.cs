namespace Graph.Engine.Graphs;

/// <summary>How a node is implemented.</summary>
internal enum NodeKind
{
    /// <summary>A function of the state.</summary>
    State,

    /// <summary>A function of a <see cref="Send"/> argument.</summary>
    Worker,

    /// <summary>An <see cref="INode{TState, TUpdate}"/> created by a factory.</summary>
    Factory,

    /// <summary>A compiled graph used as a node.</summary>
    Subgraph,
}
