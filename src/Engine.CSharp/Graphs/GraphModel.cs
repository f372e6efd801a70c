namespace Graph.Engine.Graphs;

/// <summary>
/// The validated, immutable model of a compiled graph: nodes (with factories and options), resolved edges,
/// routers, joins and the reducer. Executors read it; it never changes after compilation.
/// </summary>
internal sealed class GraphModel<TState, TUpdate>
{
    private readonly Dictionary<string, NodeDefinition<TState, TUpdate>> byName;

    private GraphModel(
        NodeDefinition<TState, TUpdate>[] nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        JoinDefinition[] joins,
        Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> reducer,
        Func<TState, TUpdate, TState>? fold)
    {
        Nodes = nodes;
        Edges = edges;
        Conditionals = conditionals;
        Joins = joins;
        Reducer = reducer;
        Fold = fold;
        byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);

        var ranked = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < ranked.Length; i++)
        {
            ranked[i].Rank = i;
        }

        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i].Index = i;
        }

        StartTargets = Resolve(edges.Where(e => e.From == StateGraph.Start));
        StartRouters = [.. conditionals.Where(c => c.Source == StateGraph.Start)];
        foreach (var node in nodes)
        {
            node.EdgeTargets = Resolve(edges.Where(e => e.From == node.Name));
            node.Routers = [.. conditionals.Where(c => c.Source == node.Name)];
            var memberships = new List<(int, ulong)>();
            for (var j = 0; j < joins.Length; j++)
            {
                var at = Array.IndexOf(joins[j].Sources, node.Name);
                if (at >= 0)
                {
                    memberships.Add((j, 1UL << at));
                }
            }

            node.JoinMemberships = [.. memberships];
        }

        foreach (var join in joins)
        {
            join.TargetIndex = byName[join.Target].Index;
        }

        Buffers = new RunBuffers<TState, TUpdate>.Pool();
    }

    public NodeDefinition<TState, TUpdate>[] Nodes { get; }

    /// <summary>The pool of run buffers shared by the runs of this model (one model per compiled graph).</summary>
    public RunBuffers<TState, TUpdate>.Pool Buffers { get; }

    public IReadOnlyList<(string From, string To)> Edges { get; }

    public IReadOnlyList<ConditionalEdge<TState>> Conditionals { get; }

    public JoinDefinition[] Joins { get; }

    public Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> Reducer { get; }

    /// <summary>
    /// The per-update reducer that <see cref="Reducer"/> applies to each update in turn, when the graph was built with
    /// one (a step of one task folds its update with it, no list); null for a batch reducer.
    /// </summary>
    public Func<TState, TUpdate, TState>? Fold { get; }

    /// <summary>Error handlers, the branch-failure policy and the drain (set once by <c>Compile</c>).</summary>
    public GraphControl<TState, TUpdate> Control { get; set; } = new([], []);

    public NodeDefinition<TState, TUpdate>[] StartTargets { get; }

    public ConditionalEdge<TState>[] StartRouters { get; }

    public NodeDefinition<TState, TUpdate>? Find(string name) =>
        byName.TryGetValue(name, out var n) ? n : null;

    /// <summary>Validates the builder's parts and creates the model, or throws <see cref="GraphValidationException"/>.</summary>
    public static GraphModel<TState, TUpdate> Create(
        IReadOnlyList<NodeDefinition<TState, TUpdate>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<ConditionalEdge<TState>> conditionals,
        IReadOnlyList<JoinDefinition> joins,
        Func<TState, IReadOnlyList<NodeUpdate<TUpdate>>, TState> reducer,
        Func<TState, TUpdate, TState>? fold,
        GraphCompileOptions options)
    {
        var errors = GraphValidator.Validate(nodes, edges, conditionals, joins, options);
        if (errors.Count > 0)
        {
            throw new GraphValidationException(errors);
        }

        return new GraphModel<TState, TUpdate>([.. nodes], [.. edges], [.. conditionals], [.. joins], reducer, fold);
    }

    private NodeDefinition<TState, TUpdate>[] Resolve(IEnumerable<(string From, string To)> edges) =>
        [.. edges.Where(e => e.To != StateGraph.End).Select(e => byName[e.To]).Distinct()];
}
