using System.Runtime.CompilerServices;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// Builds a state graph: nodes that read a <typeparamref name="TState"/> and return <typeparamref name="TUpdate"/>s,
/// connected by edges, conditional edges, joins and sends, reduced at each step barrier. Not thread-safe;
/// <see cref="Compile"/> snapshots it, so a builder can be compiled several times.
/// </summary>
/// <typeparam name="TState">The state every node reads.</typeparam>
/// <typeparam name="TUpdate">What nodes return; the reducer folds updates into the state.</typeparam>
public sealed partial class StateGraph<TState, TUpdate>
{
    private readonly List<NodeDefinition<TState, TUpdate>> nodes = [];
    private readonly List<(string From, string To)> edges = [];
    private readonly List<ConditionalEdge<TState>> conditionals = [];
    private readonly List<JoinDefinition> joins = [];
    private readonly Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> reducer;

    /// <summary>The per-update reducer when the graph was built with one; null for a batch reducer.</summary>
    private readonly Func<TState, TUpdate, TState>? fold;

    /// <summary>Creates a graph whose reducer folds the updates of a step one by one, in planned order.</summary>
    /// <param name="reducer">The per-update fold, e.g. <see cref="Reducers.Replace{T}"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reducer"/> is null.</exception>
    public StateGraph(Func<TState, TUpdate, TState> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        fold = reducer;
        this.reducer = (state, updates) =>
        {
            for (var i = 0; i < updates.Count; i++)
            {
                state = reducer(state, updates[i].Update);
            }

            return state;
        };
    }

    /// <summary>
    /// Creates a graph whose reducer receives each step's updates as one batch in planned order (triggered nodes by
    /// ordinal name, then sends in send order), e.g. <see cref="KeyedStateSchema.Reduce"/>. It is called at every
    /// barrier, also with an empty batch. The list is only valid during the call.
    /// </summary>
    /// <param name="reducer">The batch reducer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reducer"/> is null.</exception>
    public StateGraph(Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        this.reducer = reducer;
    }

    /// <summary>Adds an asynchronous node that may return an update, a <see cref="Command{TUpdate}"/> or <see cref="NodeResult{TUpdate}.None"/>.</summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="node">The node function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<TState, NodeContext, ValueTask<NodeResult<TUpdate>>> node, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(node);
        nodes.Add(new(name, NodeKind.State, options ?? NodeOptions.Default) { Function = node });
        return this;
    }

    /// <summary>
    /// Adds a node implemented by objects from <paramref name="factory"/>. The executor owns the instances: it creates
    /// one when needed and a fresh one after a failure (disposing the old one if it is disposable).
    /// </summary>
    /// <param name="name">The unique node name.</param>
    /// <param name="factory">Creates node instances.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddNode(string name, Func<INode<TState, TUpdate>> factory, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(factory);
        nodes.Add(new(name, NodeKind.Factory, options ?? NodeOptions.Default) { Factory = factory });
        return this;
    }

    /// <summary>Adds an asynchronous worker node (update or command): it runs once per <see cref="Send"/> with the send's argument as input.</summary>
    /// <typeparam name="TArg">The send argument type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="worker">The worker function.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddWorker<TArg>(string name, Func<TArg, NodeContext, ValueTask<NodeResult<TUpdate>>> worker, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(worker);
        nodes.Add(new(name, NodeKind.Worker, options ?? NodeOptions.Default)
        {
            Worker = (arg, ctx) => worker((TArg)arg!, ctx),
            ArgumentType = typeof(TArg),
        });
        return this;
    }

    /// <summary>
    /// Adds a compiled graph as a node: <paramref name="input"/> maps the parent state to the child's input, the child
    /// runs to its end (cancelled with the parent task), and <paramref name="output"/> maps its final state to the
    /// parent's update. On a durable run (a thread id) the child checkpoints (in its own checkpointer, or compiled
    /// without one in the parent's) on its own thread, <c>{parent thread}|{task id}</c>: an interrupt in the child interrupts the parent task with the child's
    /// value, and resuming the parent continues the child where it stopped with the resume value (docs/graphs.md).
    /// </summary>
    /// <typeparam name="TChildState">The child's state type.</typeparam>
    /// <typeparam name="TChildUpdate">The child's update type.</typeparam>
    /// <param name="name">The unique node name.</param>
    /// <param name="child">The child graph.</param>
    /// <param name="input">Maps the parent state to the child's input state.</param>
    /// <param name="output">Maps the child's final state to the parent's update.</param>
    /// <param name="options">Per-node options; null for <see cref="NodeOptions.Default"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddSubgraph<TChildState, TChildUpdate>(
        string name,
        CompiledGraph<TChildState, TChildUpdate> child,
        Func<TState, TChildState> input,
        Func<TChildState, TUpdate> output,
        NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        nodes.Add(new(name, NodeKind.Subgraph, options ?? NodeOptions.Default)
        {
            Label = "subgraph",
            Child = child,
            Function = (state, ctx) => SubgraphNode.RunAsync(child, input, output, state, ctx),
        });
        return this;
    }

    /// <summary>Adds an edge: when <paramref name="from"/> finishes, <paramref name="to"/> runs in the next step.</summary>
    /// <param name="from">The source node, or <see cref="StateGraph.Start"/>.</param>
    /// <param name="to">The target node, or <see cref="StateGraph.End"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddEdge(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        edges.Add((from, to));
        return this;
    }

    /// <summary>
    /// Adds a router: when <paramref name="from"/> finishes, <paramref name="router"/> reads the state after the step's
    /// barrier and returns a <see cref="Route"/>. With declared <paramref name="targets"/> every node, send target and
    /// <see cref="StateGraph.End"/> it returns must be among them, and <c>Compile()</c> checks the graph with them; with
    /// none it may return any node (as LangGraph's router without a path map), checked when it returns. A route to
    /// anything else fails the run with <see cref="InvalidRouteException"/> naming the source node and the target.
    /// </summary>
    /// <param name="from">The source node, or <see cref="StateGraph.Start"/>.</param>
    /// <param name="router">The router.</param>
    /// <param name="targets">The declared targets; none for any node.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [OverloadResolutionPriority(1)] // `s => default` stays a synchronous router, not a Task-returning one
    public StateGraph<TState, TUpdate> AddConditionalEdges(string from, Func<TState, Route> router, params string[] targets)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(targets);
        conditionals.Add(new(from, router, [.. targets]));
        return this;
    }

    /// <summary>
    /// Adds a router with a path map, as LangGraph's <c>add_conditional_edges(source, path, path_map)</c>: when
    /// <paramref name="from"/> finishes, <paramref name="router"/> returns a key and <paramref name="pathMap"/> maps it
    /// to the node (or <see cref="StateGraph.End"/>) to run next. The map's values are the declared targets; a key not
    /// in the map fails the run with <see cref="InvalidRouteException"/>.
    /// </summary>
    /// <param name="from">The source node, or <see cref="StateGraph.Start"/>.</param>
    /// <param name="router">Returns a key of <paramref name="pathMap"/>.</param>
    /// <param name="pathMap">Router result to node name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument, or a key or value of <paramref name="pathMap"/>, is null.</exception>
    public StateGraph<TState, TUpdate> AddConditionalEdges(string from, Func<TState, string> router, IReadOnlyDictionary<string, string> pathMap)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(pathMap);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in pathMap)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(pathMap));
            ArgumentNullException.ThrowIfNull(node, nameof(pathMap));
            map[key] = node;
        }

        Route Routed(TState state)
        {
            var key = router(state);
            if (key is not null && map.TryGetValue(key, out var node))
            {
                return Route.To(node);
            }

            var shown = key is null ? "null" : $"'{key}'";
            throw new InvalidRouteException(from, key ?? "null", [.. map.Values.Distinct(StringComparer.Ordinal)], $"Router from '{from}' returned {shown}, which is not a key of its path map (keys: {string.Join(", ", map.Keys.Select(k => $"'{k}'"))}).");
        }

        conditionals.Add(new(from, Routed, [.. map.Values.Distinct(StringComparer.Ordinal)]));
        return this;
    }

    /// <summary>
    /// Adds a join: <paramref name="target"/> runs (once) in the step after every source has finished since the join
    /// last fired; the sources may finish in different steps.
    /// </summary>
    /// <param name="sources">The sources (at most 64).</param>
    /// <param name="target">The target node.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddJoin(IEnumerable<string> sources, string target)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(target);
        joins.Add(new([.. sources], target));
        return this;
    }

    /// <summary>Validates the graph and compiles it.</summary>
    /// <param name="options">Compile options; null for <see cref="GraphCompileOptions.Default"/>.</param>
    /// <param name="checkpointer">
    /// The checkpoint store, as LangGraph's <c>compile(checkpointer=…)</c>: shorthand for
    /// <see cref="GraphCompileOptions.Checkpointer"/>; null to use the one in <paramref name="options"/> (if any).
    /// </param>
    /// <returns>The compiled graph (dispose it to release its executor).</returns>
    /// <exception cref="ArgumentException">Both <paramref name="checkpointer"/> and <paramref name="options"/>'s <see cref="GraphCompileOptions.Checkpointer"/> are set.</exception>
    /// <exception cref="GraphValidationException">The graph is invalid; every problem is listed.</exception>
    public CompiledGraph<TState, TUpdate> Compile(GraphCompileOptions? options = null, ICheckpointer? checkpointer = null)
    {
        options ??= GraphCompileOptions.Default;
        if (checkpointer is not null)
        {
            if (options.Checkpointer is not null && !ReferenceEquals(options.Checkpointer, checkpointer))
            {
                throw new ArgumentException("A checkpointer is given both as an argument and in GraphCompileOptions.Checkpointer; give it once.", nameof(checkpointer));
            }

            options = options with { Checkpointer = checkpointer };
        }

        var model = GraphModel<TState, TUpdate>.Create(nodes.Select(Clone).ToList(), edges, conditionals, joins.Select(j => new JoinDefinition(j.Sources, j.Target)).ToList(), reducer, fold, options);
        model.Control = BuildControl(model);
        return new CompiledGraph<TState, TUpdate>(model, options);
    }

    /// <summary>Renders the graph as a Mermaid flowchart (see <see cref="CompiledGraph{TState, TUpdate}.ToMermaid"/>); the graph need not be valid.</summary>
    /// <returns>The Mermaid text.</returns>
    public string ToMermaid() => GraphRenderer.ToMermaid(nodes, edges, conditionals, joins);

    /// <summary>Renders the graph in Graphviz DOT (see <see cref="CompiledGraph{TState, TUpdate}.ToDot"/>); the graph need not be valid.</summary>
    /// <returns>The DOT text.</returns>
    public string ToDot() => GraphRenderer.ToDot(nodes, edges, conditionals, joins);

    private static NodeDefinition<TState, TUpdate> Clone(NodeDefinition<TState, TUpdate> n) =>
        new(n.Name, n.Kind, n.Options)
        {
            Function = n.Function,
            Update = n.Update,
            Worker = n.Worker,
            ArgumentType = n.ArgumentType,
            Factory = n.Factory,
            Label = n.Label,
            Child = n.Child,
        };
}
