using System.Diagnostics;
using Polly;

namespace Graph.Engine.Graphs;

/// <summary>A node of a graph model, with its resolved outgoing connections (filled in by <see cref="GraphModel{TState, TUpdate}"/>).</summary>
[DebuggerDisplay("{Kind} {Name,nq}")]
internal sealed class NodeDefinition<TState, TUpdate>
{
    public NodeDefinition(string name, NodeKind kind, NodeOptions options)
    {
        Name = name;
        Kind = kind;
        Options = options;
    }

    public string Name { get; }

    public NodeKind Kind { get; }

    public NodeOptions Options { get; }

    /// <summary>The node's position in insertion order (index into <see cref="GraphModel{TState, TUpdate}.Nodes"/>).</summary>
    public int Index { get; set; }

    /// <summary>The node's position in ordinal name order: the planning order of triggered nodes.</summary>
    public int Rank { get; set; }

    /// <summary>The function of the state (state and subgraph nodes).</summary>
    public Func<TState, NodeContext, ValueTask<NodeResult<TUpdate>>>? Function { get; init; }

    /// <summary>
    /// For a node added as a plain function of the state to its update (which <see cref="Function"/> wraps): that
    /// function, which the plain task path calls directly; null for other forms.
    /// </summary>
    public Func<TState, TUpdate>? Update { get; init; }

    /// <summary>The function of a send argument (worker nodes).</summary>
    public Func<object?, NodeContext, ValueTask<NodeResult<TUpdate>>>? Worker { get; init; }

    /// <summary>The type a worker's send argument must have.</summary>
    public Type? ArgumentType { get; init; }

    /// <summary>The instance factory (factory nodes); actor executors create and recreate instances with it.</summary>
    public Func<INode<TState, TUpdate>>? Factory { get; init; }

    /// <summary>The tasks the node runs at once (<see cref="NodeOptions.Unbounded"/> for no limit). Set when the graph is compiled.</summary>
    public int Parallelism { get; set; } = 1;

    /// <summary>
    /// The Polly pipeline the node's tasks run under: its own <see cref="NodeOptions.ResiliencePipeline"/>, or its
    /// <see cref="NodeOptions.Retry"/> as a pipeline; null for one attempt. Set when the graph is compiled.
    /// </summary>
    public ResiliencePipeline? Pipeline { get; set; }

    /// <summary>
    /// Whether the node's tasks need the full task path (retry pipeline, attempt or idle timeout, cache, error
    /// handler) rather than the plain one; a feature that wraps a task adds itself here. Set when the graph is compiled.
    /// </summary>
    public bool NeedsFullTask { get; set; }

    /// <summary>The child graph of a subgraph node (a <see cref="CompiledGraph{TState, TUpdate}"/> of the child's types); null for other kinds.</summary>
    public object? Child { get; init; }

    /// <summary>A label for drawings (e.g. the subgraph marker).</summary>
    public string? Label { get; init; }

    public NodeDefinition<TState, TUpdate>[] EdgeTargets { get; set; } = [];

    public ConditionalEdge<TState>[] Routers { get; set; } = [];

    public (int Join, ulong Bit)[] JoinMemberships { get; set; } = [];

    /// <summary>What a <see cref="Send"/> to this node carries: a worker's argument type, else the state a node reads.</summary>
    public Type SendType => ArgumentType ?? typeof(TState);

    public bool AcceptsArgument(object? argument) =>
        argument is null
            ? !SendType.IsValueType || Nullable.GetUnderlyingType(SendType) is not null
            : SendType.IsInstanceOfType(argument);
}
