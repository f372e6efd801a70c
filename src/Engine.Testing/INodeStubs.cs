namespace Graph.Engine.Testing;

/// <summary>A stub table seen without its graph's types: where a subgraph node's child table is found.</summary>
internal interface INodeStubs
{
    /// <summary>The table of subgraph node <paramref name="node"/>'s child (a <see cref="NodeStubs{TState, TUpdate}"/> of the child's types), or null.</summary>
    object? Child(string node);
}
