using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>A run's use of the node cache (<see cref="NodeOptions.Cache"/>): looking a task's input up and storing its result.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>
    /// Looks <paramref name="task"/>'s input up: a fresh entry is a hit (its result decoded); otherwise the key to store
    /// the result under. Hits and misses are counted per node.
    /// </summary>
    private async ValueTask<(bool Hit, NodeResult<TUpdate> Result, string Key)> LookUpCacheAsync(PlannedTask<TState, TUpdate> task, CachePolicy policy, INodeCache cache)
    {
        var node = task.Node;
        var input = task.IsSend ? task.Argument : state;
        var key = policy.Key is { } keyOf
            ? keyOf(input) ?? throw new InvalidOperationException($"The cache key function of node '{node.Name}' returned null.")
            : task.IsSend ? NodeCacheKeys.OfArgument(options.Serializer, node.SendType, task.Argument) : NodeCacheKeys.Of(options.Serializer, state);
        var entry = await cache.GetAsync(node.Name, key, CancellationToken).ConfigureAwait(false);
        var tag = new KeyValuePair<string, object?>(GraphDiagnostics.NodeTag, node.Name);
        if (entry is not null && entry.IsFreshAt(options.TimeProvider.GetUtcNow()))
        {
            GraphMetrics.CacheHits.Add(1, tag);
            return (true, CheckpointCodec.DecodeResult(options.Serializer, model, entry.Value), key);
        }

        GraphMetrics.CacheMisses.Add(1, tag);
        return (false, default, key);
    }

    /// <summary>Stores a task's result under its key, fresh for the policy's time to live from now.</summary>
    private ValueTask StoreInCacheAsync(PlannedTask<TState, TUpdate> task, CachePolicy policy, INodeCache cache, string key, NodeResult<TUpdate> result)
    {
        var expires = policy.TimeToLive is { } ttl ? options.TimeProvider.GetUtcNow() + ttl : (DateTimeOffset?)null;
        var bytes = CheckpointCodec.EncodeResult(options.Serializer, model, result);
        return cache.SetAsync(task.Node.Name, key, new NodeCacheEntry(bytes, expires), CancellationToken);
    }
}
