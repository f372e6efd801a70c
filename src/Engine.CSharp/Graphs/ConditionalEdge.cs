namespace Graph.Engine.Graphs;

/// <summary>A router from a source node (or START) with its declared targets.</summary>
internal sealed class ConditionalEdge<TState>
{
    public ConditionalEdge(string source, Func<TState, Route> router, string[] targets)
    {
        Source = source;
        Router = router;
        Targets = targets;
    }

    public string Source { get; }

    public Func<TState, Route> Router { get; }

    public string[] Targets { get; }
}
