namespace Graph.Engine.Graphs;

/// <summary>Asynchronous routers.</summary>
public sealed partial class StateGraph<TState, TUpdate>
{
    /// <summary>
    /// Adds an asynchronous router: when <paramref name="from"/> finishes, <paramref name="router"/> reads the state
    /// after the step's barrier, and the next step is planned once its route is known. With declared
    /// <paramref name="targets"/> every node, send target and <see cref="StateGraph.End"/> it returns must be among them;
    /// with none it may return any node, checked when it returns. A route to anything else fails the run with
    /// <see cref="InvalidRouteException"/>.
    /// </summary>
    /// <param name="from">The source node, or <see cref="StateGraph.Start"/>.</param>
    /// <param name="router">The router.</param>
    /// <param name="targets">The declared targets; none for any node.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddConditionalEdges(string from, Func<TState, Task<Route>> router, params string[] targets)
    {
        ArgumentNullException.ThrowIfNull(router);
        return AddConditionalEdges(from, (state, _) => new ValueTask<Route>(router(state)), targets);
    }

    /// <summary>
    /// Adds an asynchronous router that receives the run's cancellation token; otherwise as
    /// <see cref="AddConditionalEdges(string, Func{TState, Task{Route}}, string[])"/>.
    /// </summary>
    /// <param name="from">The source node, or <see cref="StateGraph.Start"/>.</param>
    /// <param name="router">The router; the token is cancelled when the run is.</param>
    /// <param name="targets">The declared targets; none for any node.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public StateGraph<TState, TUpdate> AddConditionalEdges(string from, Func<TState, CancellationToken, ValueTask<Route>> router, params string[] targets)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(targets);
        conditionals.Add(new(from, router, [.. targets]));
        return this;
    }
}
