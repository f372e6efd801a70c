namespace Graph.Engine.Graphs;

/// <summary>
/// Marks a node as cacheable (LangGraph's <c>CachePolicy</c>): a task whose input has a fresh entry in
/// <see cref="GraphCompileOptions.NodeCache"/> is not run; the cached result (update and/or command) is applied as if
/// the node had run, and its <see cref="TaskFinishedEvent{TUpdate}.Cached"/> is true. Immutable.
/// </summary>
/// <remarks>
/// A node's input is the state (state, factory and subgraph nodes) or the <see cref="Send"/> argument (workers).
/// Entries are kept per node name and key. Only results are cached: a failure or an interrupt is never stored.
/// </remarks>
public sealed record CachePolicy
{
    /// <summary>
    /// Computes the cache key of a node's input. Null (the default) uses the SHA-256 of the input as written by
    /// <see cref="GraphCompileOptions.Serializer"/>, so equal inputs share an entry.
    /// </summary>
    /// <value>Default null.</value>
    public Func<object?, string>? Key { get; init; }

    /// <summary>
    /// How long an entry stays fresh, measured on <see cref="GraphCompileOptions.TimeProvider"/>; null means forever
    /// (until cleared with <see cref="INodeCache.ClearAsync"/>).
    /// </summary>
    /// <value>Default null.</value>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>A policy whose key is computed from the input as a <typeparamref name="TInput"/>.</summary>
    /// <typeparam name="TInput">The node's input type: the state, or a worker's argument type.</typeparam>
    /// <param name="key">The key of an input.</param>
    /// <param name="timeToLive">How long an entry stays fresh; null means forever.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static CachePolicy By<TInput>(Func<TInput, string> key, TimeSpan? timeToLive = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new CachePolicy { Key = input => key((TInput)input!), TimeToLive = timeToLive };
    }

    internal IEnumerable<string> Validate(string node)
    {
        if (TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            yield return $"Node '{node}': Cache.TimeToLive must be positive or null (was {ttl}).";
        }
    }
}
