using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// An <see cref="INodeCache"/> in process memory, lost when the process ends. Entries stay until cleared, replaced or
/// evicted; an expired entry is replaced the next time its node runs for that key.
/// </summary>
/// <remarks>
/// Unbounded by default. With a <see cref="MaxEntries"/> cap, storing a new entry in a full cache first evicts the
/// least recently used one (a read or a write counts as a use), so the cache holds at most that many results; the
/// evicted node simply runs again the next time it sees that input. The cap counts entries, not bytes: each entry holds
/// one node result as the graph's serializer wrote it.
/// </remarks>
[DebuggerDisplay("{Count} cached results")]
public sealed class InMemoryNodeCache : INodeCache
{
    private readonly Dictionary<(string Node, string Key), LinkedListNode<(string Node, string Key, NodeCacheEntry Entry)>> entries = [];

    /// <summary>Most recently used first.</summary>
    private readonly LinkedList<(string Node, string Key, NodeCacheEntry Entry)> recency = new();

    private readonly Lock gate = new();
    private long evictions;

    /// <summary>Creates an unbounded cache.</summary>
    public InMemoryNodeCache()
    {
    }

    /// <summary>Creates a cache that holds at most <paramref name="maxEntries"/> entries, evicting the least recently used.</summary>
    /// <param name="maxEntries">The most entries held; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntries"/> is zero or negative.</exception>
    public InMemoryNodeCache(int maxEntries)
    {
        if (maxEntries <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEntries), maxEntries, $"InMemoryNodeCache's maxEntries must be positive (was {maxEntries}); use the parameterless constructor for an unbounded cache.");
        }

        MaxEntries = maxEntries;
    }

    /// <summary>The most entries held, or null when the cache is unbounded.</summary>
    public int? MaxEntries { get; }

    /// <summary>The number of entries held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>How many entries were evicted to stay within <see cref="MaxEntries"/> (not counting clears and replacements).</summary>
    public long Evictions => Interlocked.Read(ref evictions);

    /// <inheritdoc />
    public ValueTask<NodeCacheEntry?> GetAsync(string node, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            if (!entries.TryGetValue((node, key), out var held))
            {
                return new((NodeCacheEntry?)null);
            }

            if (MaxEntries is not null)
            {
                Touch(held); // the recency order matters only to a capped cache
            }
            return new(held.Value.Entry);
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string node, string key, NodeCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { Value = entry.Value.ToArray() };
        lock (gate)
        {
            if (entries.TryGetValue((node, key), out var held))
            {
                held.Value = (node, key, stored);
                if (MaxEntries is not null)
                {
                    Touch(held);
                }
                return ValueTask.CompletedTask;
            }

            if (entries.Count == MaxEntries)
            {
                var oldest = recency.Last!;
                recency.RemoveLast();
                entries.Remove((oldest.Value.Node, oldest.Value.Key));
                Interlocked.Increment(ref evictions);
            }

            entries.Add((node, key), recency.AddFirst((node, key, stored)));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> ClearAsync(string? node = null, string? key = null, CancellationToken cancellationToken = default)
    {
        if (key is not null && node is null)
        {
            throw new ArgumentException("Clearing one key needs its node.", nameof(key));
        }

        lock (gate)
        {
            if (key is not null)
            {
                if (!entries.Remove((node!, key), out var one))
                {
                    return new(0);
                }

                recency.Remove(one);
                return new(1);
            }

            var removed = 0;
            for (var held = recency.First; held is not null;)
            {
                var next = held.Next;
                if (node is null || held.Value.Node == node)
                {
                    recency.Remove(held);
                    entries.Remove((held.Value.Node, held.Value.Key));
                    removed++;
                }

                held = next;
            }

            return new(removed);
        }
    }

    private void Touch(LinkedListNode<(string Node, string Key, NodeCacheEntry Entry)> held)
    {
        if (held != recency.First)
        {
            recency.Remove(held);
            recency.AddFirst(held);
        }
    }
}
