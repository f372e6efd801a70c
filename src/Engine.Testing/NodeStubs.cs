using System.Collections.Concurrent;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Stand-ins for nodes of a graph compiled in deterministic mode, by node name: a stubbed node's tasks call the stub
/// instead of the node (with no retry policy or timeout), and everything else (events, checkpoints, routing from the
/// node's edges) stays the same. Stubs can be set and removed between runs without compiling the graph again.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
internal sealed class NodeStubs<TState, TUpdate>
{
    private readonly ConcurrentDictionary<string, NodeDefinition<TState, TUpdate>> stubs = new(StringComparer.Ordinal);
    private GraphModel<TState, TUpdate>? model;

    public void Bind(GraphModel<TState, TUpdate> graphModel) => model = graphModel;

    public void SetState(string node, Func<TState, NodeContext, ValueTask<NodeResult<TUpdate>>> stub)
    {
        var original = Find(node);
        if (original.Kind == NodeKind.Worker)
        {
            throw new ArgumentException($"Node '{node}' is a worker (its tasks get a Send argument, not the state): stub it with StubWorker.", nameof(node));
        }

        stubs[node] = new NodeDefinition<TState, TUpdate>(node, NodeKind.State, NodeOptions.Default) { Function = stub, Index = original.Index, Rank = original.Rank };
    }

    public void SetWorker(string node, Func<object?, NodeContext, ValueTask<NodeResult<TUpdate>>> stub)
    {
        var original = Find(node);
        if (original.Kind != NodeKind.Worker)
        {
            throw new ArgumentException($"Node '{node}' is not a worker (its tasks get the state): stub it with Stub.", nameof(node));
        }

        stubs[node] = new NodeDefinition<TState, TUpdate>(node, NodeKind.Worker, NodeOptions.Default)
        {
            Worker = stub,
            ArgumentType = original.ArgumentType,
            Index = original.Index,
            Rank = original.Rank,
        };
    }

    public bool Remove(string node) => stubs.TryRemove(node, out _);

    public void Clear() => stubs.Clear();

    /// <summary>The task to run: <paramref name="task"/> itself, or the same task on its node's stub.</summary>
    public PlannedTask<TState, TUpdate> Apply(in PlannedTask<TState, TUpdate> task) =>
        stubs.IsEmpty || !stubs.TryGetValue(task.Node.Name, out var stub)
            ? task
            : new PlannedTask<TState, TUpdate>(stub, task.Step, task.Index, task.IsSend, task.Argument);

    private NodeDefinition<TState, TUpdate> Find(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var nodes = (model ?? throw new InvalidOperationException("The graph is not compiled yet.")).Nodes;
        return nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new ArgumentException($"The graph has no node '{node}'; its nodes are: {string.Join(", ", nodes.Select(n => n.Name))}.", nameof(node));
    }
}
