using System.Collections.Concurrent;
using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// An <see cref="INodeCache"/> in process memory, lost when the process ends. Entries stay until cleared or
/// replaced; an expired entry is replaced the next time its node runs for that key.
/// </summary>
[DebuggerDisplay("{Count} cached results")]
public sealed class InMemoryNodeCache : INodeCache
{
    private readonly ConcurrentDictionary<(string Node, string Key), NodeCacheEntry> entries = new();

    /// <summary>The number of entries held.</summary>
    public int Count => entries.Count;

    /// <inheritdoc />
    public ValueTask<NodeCacheEntry?> GetAsync(string node, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        return new(entries.TryGetValue((node, key), out var entry) ? entry : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string node, string key, NodeCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        entries[(node, key)] = entry with { Value = entry.Value.ToArray() };
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> ClearAsync(string? node = null, string? key = null, CancellationToken cancellationToken = default)
    {
        if (key is not null && node is null)
        {
            throw new ArgumentException("Clearing one key needs its node.", nameof(key));
        }

        if (key is not null)
        {
            return new(entries.TryRemove((node!, key), out _) ? 1 : 0);
        }

        var removed = 0;
        foreach (var k in entries.Keys)
        {
            if ((node is null || k.Node == node) && entries.TryRemove(k, out _))
            {
                removed++;
            }
        }

        return new(removed);
    }
}
