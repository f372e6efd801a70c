namespace Graph.Engine.Checkpoints;

/// <summary>
/// What <see cref="CheckpointRetention"/> keeps. Every limit is optional; a thread's latest checkpoint (and its pending
/// writes) is always kept unless the whole thread is idle past <see cref="IdleThreadTtl"/>, so a pruned thread stays
/// resumable.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>
    /// Keep the newest this many checkpoints of every branch of a thread: from each branch tip (a checkpoint no other
    /// checkpoint follows) this many, walking its parents; null for no limit. On a thread without forks, the newest N.
    /// </summary>
    /// <value>
    /// A store that cannot delete chosen checkpoints (one of another library) keeps every checkpoint from the oldest
    /// one kept onwards, so never fewer.
    /// </value>
    public int? KeepLast { get; init; }

    /// <summary>
    /// Keep the newest checkpoints of each thread, by id, while their bytes (state, planner state, send arguments and
    /// pending-write payloads, as the store returns them) add up to at most this; null for no budget.
    /// </summary>
    /// <value>The latest checkpoint is kept even when it alone is larger. States shared between checkpoints count once per checkpoint.</value>
    public long? MaxBytesPerThread { get; init; }

    /// <summary>Delete checkpoints created longer ago than this (the latest is kept); null for no limit.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Delete whole threads whose latest checkpoint was created longer ago than this; null to keep idle threads.</summary>
    public TimeSpan? IdleThreadTtl { get; init; }

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentException">No limit is set, or one is not positive.</exception>
    public void Validate()
    {
        if (KeepLast is null && MaxAge is null && IdleThreadTtl is null && MaxBytesPerThread is null)
        {
            throw new ArgumentException("A retention policy needs at least one of KeepLast, MaxAge, MaxBytesPerThread and IdleThreadTtl.");
        }

        if (MaxBytesPerThread is < 1)
        {
            throw new ArgumentException($"MaxBytesPerThread must be positive; got {MaxBytesPerThread}.");
        }

        if (KeepLast is < 1)
        {
            throw new ArgumentException($"KeepLast must be at least 1; got {KeepLast}.");
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxAge must be positive; got {age}.");
        }

        if (IdleThreadTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"IdleThreadTtl must be positive; got {ttl}.");
        }
    }
}
