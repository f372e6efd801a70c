using System.Collections.Concurrent;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Stand-ins for the nodes of one graph under test, by node name: a stubbed node's tasks call the stub instead of the
/// node (with no retry policy or timeout), and everything else (events, checkpoints, routing from the node's edges)
/// stays the same. Stubs are set and removed between runs without compiling the graph again. A
/// <see cref="GraphTest{TState, TUpdate}"/> holds the table of its graph; <see cref="Subgraph{TChildState, TChildUpdate}"/>
/// reaches the table of a subgraph node's child graph.
/// </summary>
/// <typeparam name="TState">The state type of the graph whose nodes these are.</typeparam>
/// <typeparam name="TUpdate">The update type of that graph.</typeparam>
public sealed class NodeStubs<TState, TUpdate> : INodeStubs
{
    private readonly ConcurrentDictionary<string, NodeDefinition<TState, TUpdate>> stubs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> children = new(StringComparer.Ordinal);
    private GraphModel<TState, TUpdate>? model;

    internal NodeStubs(GraphModel<TState, TUpdate>? graphModel = null) => model = graphModel;

    /// <summary>Replaces node <paramref name="node"/> by <paramref name="stub"/> for the following runs.</summary>
    /// <param name="node">The node name (a state, factory or subgraph node).</param>
    /// <param name="stub">The update the stub returns for a state.</param>
    /// <returns>This table.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is a worker.</exception>
    public NodeStubs<TState, TUpdate> Stub(string node, Func<TState, NodeResult<TUpdate>> stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        return Stub(node, (state, _) => ValueTask.FromResult(stub(state)));
    }

    /// <summary>Replaces node <paramref name="node"/> by an asynchronous stub that sees the task's context.</summary>
    /// <param name="node">The node name (a state, factory or subgraph node).</param>
    /// <param name="stub">The stub.</param>
    /// <returns>This table.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is a worker.</exception>
    public NodeStubs<TState, TUpdate> Stub(string node, Func<TState, NodeContext, ValueTask<NodeResult<TUpdate>>> stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        var original = Find(node);
        if (original.Kind == NodeKind.Worker)
        {
            throw new ArgumentException($"Node '{node}' is a worker (its tasks get a Send argument, not the state): stub it with StubWorker.", nameof(node));
        }

        stubs[node] = new NodeDefinition<TState, TUpdate>(node, NodeKind.State, NodeOptions.Default) { Function = stub, Index = original.Index, Rank = original.Rank };
        return this;
    }

    /// <summary>Replaces worker node <paramref name="node"/> by <paramref name="stub"/> for the following runs.</summary>
    /// <typeparam name="TArg">The worker's argument type.</typeparam>
    /// <param name="node">The worker's name.</param>
    /// <param name="stub">The update the stub returns for a Send argument.</param>
    /// <returns>This table.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or it is not a worker.</exception>
    public NodeStubs<TState, TUpdate> StubWorker<TArg>(string node, Func<TArg, NodeResult<TUpdate>> stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        var original = Find(node);
        if (original.Kind != NodeKind.Worker)
        {
            throw new ArgumentException($"Node '{node}' is not a worker (its tasks get the state): stub it with Stub.", nameof(node));
        }

        stubs[node] = new NodeDefinition<TState, TUpdate>(node, NodeKind.Worker, NodeOptions.Default)
        {
            Worker = (argument, _) => ValueTask.FromResult(stub((TArg)argument!)),
            ArgumentType = original.ArgumentType,
            Index = original.Index,
            Rank = original.Rank,
        };
        return this;
    }

    /// <summary>Puts node <paramref name="node"/> back in place of its stub.</summary>
    /// <param name="node">The node name.</param>
    /// <returns>Whether a stub was removed.</returns>
    public bool RemoveStub(string node) => stubs.TryRemove(node, out _);

    /// <summary>
    /// The stubs of the child graph of subgraph node <paramref name="node"/>, without rebuilding either graph. Once a
    /// subgraph's table exists, that node's child runs on the test's scheduler and clock (as a copy of the child made for
    /// the test), and the stubs set on the table replace the child's nodes.
    /// </summary>
    /// <typeparam name="TChildState">The child graph's state type.</typeparam>
    /// <typeparam name="TChildUpdate">The child graph's update type.</typeparam>
    /// <param name="node">The subgraph node's name in this graph.</param>
    /// <returns>The child's table (the same one on every call).</returns>
    /// <exception cref="ArgumentException">The graph has no such node, it is not a subgraph node, or its child has other state or update types.</exception>
    public NodeStubs<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node)
    {
        var original = Find(node);
        if (original.Child is not CompiledGraph<TChildState, TChildUpdate> child)
        {
            throw new ArgumentException(
                original.Kind != NodeKind.Subgraph
                    ? $"Node '{node}' is not a subgraph node."
                    : $"Subgraph node '{node}' runs a {ChildTypes(original.Child)} child, not CompiledGraph<{typeof(TChildState).Name}, {typeof(TChildUpdate).Name}>.",
                nameof(node));
        }

        return (NodeStubs<TChildState, TChildUpdate>)children.GetOrAdd(node, static (_, m) => new NodeStubs<TChildState, TChildUpdate>(m), child.Model);
    }

    internal void Bind(GraphModel<TState, TUpdate> graphModel) => model = graphModel;

    /// <inheritdoc />
    object? INodeStubs.Child(string node) => Child(node);

    /// <summary>The table of subgraph node <paramref name="node"/>'s child, or null when the test never asked for it.</summary>
    internal object? Child(string node) => children.GetValueOrDefault(node);

    /// <summary>The node to run for <paramref name="node"/>: itself, or its stub.</summary>
    internal NodeDefinition<TState, TUpdate> Apply(NodeDefinition<TState, TUpdate> node) =>
        stubs.TryGetValue(node.Name, out var stub) ? stub : node;

    /// <summary>The task to run: <paramref name="task"/> itself, or the same task on its node's stub.</summary>
    internal PlannedTask<TState, TUpdate> Apply(in PlannedTask<TState, TUpdate> task)
    {
        var node = Apply(task.Node);
        return ReferenceEquals(node, task.Node) ? task : new PlannedTask<TState, TUpdate>(node, task.Step, task.Index, task.IsSend, task.Argument);
    }

    private static string ChildTypes(object? child) =>
        child?.GetType() is { IsGenericType: true } type ? $"CompiledGraph<{string.Join(", ", type.GetGenericArguments().Select(t => t.Name))}>" : "non-graph";

    private NodeDefinition<TState, TUpdate> Find(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var nodes = (model ?? throw new InvalidOperationException("The graph is not compiled yet.")).Nodes;
        return nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new ArgumentException($"The graph has no node '{node}'; its nodes are: {string.Join(", ", nodes.Select(n => n.Name))}.", nameof(node));
    }
}
