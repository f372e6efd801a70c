namespace Graph.Engine.Graphs;

/// <summary>One cached node result, as an <see cref="INodeCache"/> stores it.</summary>
/// <param name="Value">The encoded result (the same encoding as a pending write's).</param>
/// <param name="ExpiresAt">When it stops being fresh; null for never.</param>
public sealed record NodeCacheEntry(ReadOnlyMemory<byte> Value, DateTimeOffset? ExpiresAt)
{
    /// <summary>Whether the entry is still fresh at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>True when it never expires or expires after <paramref name="now"/>.</returns>
    public bool IsFreshAt(DateTimeOffset now) => ExpiresAt is not { } expires || expires > now;
}
