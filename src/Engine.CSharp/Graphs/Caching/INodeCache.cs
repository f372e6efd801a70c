namespace Graph.Engine.Graphs;

/// <summary>
/// Where cacheable nodes (<see cref="NodeOptions.Cache"/>) keep their results, by node name and key. Implementations:
/// <see cref="InMemoryNodeCache"/>, and a table in a durable store (<c>SqliteNodeCache</c> in its file,
/// <c>PostgresNodeCache</c> in its schema). Entries are opaque
/// bytes with an expiry; the graph decides freshness with its own <see cref="TimeProvider"/>, so a store never needs
/// a clock. Implementations must be safe for concurrent use.
/// </summary>
public interface INodeCache
{
    /// <summary>Reads the entry of <paramref name="node"/> under <paramref name="key"/>.</summary>
    /// <param name="node">The node name.</param>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or null when there is none (an expired entry may still be returned).</returns>
    ValueTask<NodeCacheEntry?> GetAsync(string node, string key, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) the entry of <paramref name="node"/> under <paramref name="key"/>.</summary>
    /// <param name="node">The node name.</param>
    /// <param name="key">The cache key.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask SetAsync(string node, string key, NodeCacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes entries: all of them (both null), a node's (<paramref name="key"/> null), or one.
    /// </summary>
    /// <param name="node">The node whose entries go; null for every node.</param>
    /// <param name="key">The one key to remove; null for all of the node's keys. Needs <paramref name="node"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>The number of entries removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is given without <paramref name="node"/>.</exception>
    ValueTask<int> ClearAsync(string? node = null, string? key = null, CancellationToken cancellationToken = default);
}
