using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Runs one node of a compiled graph on its own, with a given state (or Send argument) and context: no step, no
/// routing, no retry policy or timeout, no checkpoint of its own (a subgraph node's child is durable on the graph's
/// store when a thread id is given). For unit tests of a node's logic inside its real graph.
/// </summary>
public static class NodeIsolation
{
    /// <summary>Calls node <paramref name="node"/> once and returns what it returned.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="graph">The compiled graph.</param>
    /// <param name="node">The node name.</param>
    /// <param name="state">The state the node sees (ignored by a worker).</param>
    /// <param name="context">The context: argument, step, resume values, token; null for defaults.</param>
    /// <returns>The node's result and the custom events it emitted.</returns>
    /// <exception cref="ArgumentException">The graph has no such node, or a worker's argument has the wrong type.</exception>
    public static Task<NodeRun<TUpdate>> RunNodeAsync<TState, TUpdate>(this CompiledGraph<TState, TUpdate> graph, string node, TState state, IsolatedContext? context = null) =>
        RunAsync(graph, node, state, context, stubs: null, children: null);

    /// <summary>Calls node <paramref name="node"/> (or its stub in <paramref name="stubs"/>) once; a subgraph node runs the child <paramref name="children"/> gives.</summary>
    internal static async Task<NodeRun<TUpdate>> RunAsync<TState, TUpdate>(
        CompiledGraph<TState, TUpdate> graph, string node, TState state, IsolatedContext? context, NodeStubs<TState, TUpdate>? stubs, ChildGraphs? children)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(node);
        context ??= new IsolatedContext();
        var definition = graph.Model.Nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new ArgumentException($"The graph has no node '{node}'; its nodes are: {string.Join(", ", graph.NodeNames)}.", nameof(node));
        definition = stubs?.Apply(definition) ?? definition;
        var run = new IsolatedRun(context.RunId, context.ThreadId, context.CancellationToken, graph.Options.Checkpointer, stubs, children);
        var taskId = $"{context.Step}:{context.TaskIndex}:{node}";
        var scope = context.ResumeValues is null ? null : new InterruptScope(taskId, context.ResumeValues);
        var nodeContext = new NodeContext(run, node, context.Step, context.TaskIndex, context.Attempt, context.CancellationToken, scope);
        NodeResult<TUpdate> result;
        switch (definition.Kind)
        {
            case NodeKind.Worker:
                if (!definition.AcceptsArgument(context.Argument))
                {
                    throw new ArgumentException($"Worker '{node}' takes a {definition.ArgumentType!.Name}, not {context.Argument?.GetType().Name ?? "null"}: set IsolatedContext.Argument.", nameof(context));
                }

                result = await definition.Worker!(context.Argument, nodeContext).ConfigureAwait(false);
                break;
            case NodeKind.Factory:
                var instance = definition.Factory!() ?? throw new InvalidOperationException($"The factory of node '{node}' returned null.");
                try
                {
                    result = await instance.InvokeAsync(state, nodeContext).ConfigureAwait(false);
                }
                finally
                {
                    if (instance is IAsyncDisposable asyncDisposable)
                    {
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    }
                    else if (instance is IDisposable disposable)
                    {
                        disposable.Dispose();
                    }
                }

                break;
            default:
                result = await definition.Function!(state, nodeContext).ConfigureAwait(false);
                break;
        }

        return new NodeRun<TUpdate>(result, run.Emitted);
    }

    /// <summary>
    /// The run a node sees when called on its own: it records what the node emits; with a thread id it is durable on the
    /// graph's store (which a subgraph compiled without one inherits); it gives a subgraph node the test's copy of its child.
    /// </summary>
    private sealed class IsolatedRun(string runId, string? threadId, CancellationToken token, ICheckpointer? store, INodeStubs? stubs, ChildGraphs? children)
        : IGraphRun
    {
        private readonly List<object?> emitted = [];

        public IReadOnlyList<object?> Emitted
        {
            get
            {
                lock (emitted)
                {
                    return [.. emitted];
                }
            }
        }

        public string RunId => runId;

        public string? ThreadId => threadId;

        public CancellationToken RunToken => token;

        public ICheckpointer? Checkpointer => ThreadId is null ? null : store;

        public CompiledGraph<TChildState, TChildUpdate> Subgraph<TChildState, TChildUpdate>(string node, CompiledGraph<TChildState, TChildUpdate> child) =>
            children?.Resolve(stubs?.Child(node), node, child) ?? child;

        public void EmitCustom(string node, int step, int taskIndex, object? payload)
        {
            lock (emitted)
            {
                emitted.Add(payload);
            }
        }
    }
}
