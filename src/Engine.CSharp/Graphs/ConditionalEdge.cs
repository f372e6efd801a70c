namespace Graph.Engine.Graphs;

/// <summary>
/// A router from a source node (or START) with its declared targets: either synchronous (<see cref="Router"/>) or
/// asynchronous (<see cref="AsyncRouter"/>). No declared targets means any node: the run checks each target.
/// </summary>
internal sealed class ConditionalEdge<TState>
{
    public ConditionalEdge(string source, Func<TState, Route> router, string[] targets)
    {
        Source = source;
        Router = router;
        Targets = targets;
    }

    public ConditionalEdge(string source, Func<TState, CancellationToken, ValueTask<Route>> router, string[] targets)
    {
        Source = source;
        AsyncRouter = router;
        Targets = targets;
    }

    public string Source { get; }

    /// <summary>The synchronous router; null for an asynchronous one.</summary>
    public Func<TState, Route>? Router { get; }

    /// <summary>The asynchronous router; null for a synchronous one.</summary>
    public Func<TState, CancellationToken, ValueTask<Route>>? AsyncRouter { get; }

    /// <summary>The declared targets (empty when the router may go to any node).</summary>
    public string[] Targets { get; }

    /// <summary>The targets a run checks routes against: null when none were declared.</summary>
    public string[]? Declared => Targets.Length == 0 ? null : Targets;
}
