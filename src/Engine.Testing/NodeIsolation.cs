using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Runs one node of a compiled graph on its own, with a given state (or Send argument) and context: no step, no
/// routing, no retry policy or timeout, no checkpoint. For unit tests of a node's logic inside its real graph.
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
    public static async Task<NodeRun<TUpdate>> RunNodeAsync<TState, TUpdate>(this CompiledGraph<TState, TUpdate> graph, string node, TState state, IsolatedContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(node);
        context ??= new IsolatedContext();
        var definition = graph.Model.Nodes.FirstOrDefault(n => n.Name == node)
            ?? throw new ArgumentException($"The graph has no node '{node}'; its nodes are: {string.Join(", ", graph.NodeNames)}.", nameof(node));
        var run = new IsolatedRun(context.RunId, context.ThreadId, context.CancellationToken);
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

    /// <summary>The run a node sees when called on its own: it records what the node emits.</summary>
    private sealed class IsolatedRun(string runId, string? threadId, CancellationToken token) : GraphRunBase(runId, threadId)
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

        public override CancellationToken RunToken => token;

        public override void EmitCustom(string node, int step, int taskIndex, object? payload)
        {
            lock (emitted)
            {
                emitted.Add(payload);
            }
        }
    }
}
