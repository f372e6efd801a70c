namespace Graph.Engine.Checkpoints;

/// <summary>
/// What <see cref="CheckpointRetention"/> keeps. Every limit is optional; a thread's latest checkpoint (and its pending
/// writes) is always kept unless the whole thread is idle past <see cref="IdleThreadTtl"/>, so a pruned thread stays
/// resumable.
/// </summary>
public sealed record RetentionPolicy
{
    /// <summary>Keep at most this many checkpoints per thread, the newest by id; null for no limit.</summary>
    public int? KeepLast { get; init; }

    /// <summary>Delete checkpoints created longer ago than this (the latest is kept); null for no limit.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Delete whole threads whose latest checkpoint was created longer ago than this; null to keep idle threads.</summary>
    public TimeSpan? IdleThreadTtl { get; init; }

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentException">No limit is set, or one is not positive.</exception>
    public void Validate()
    {
        if (KeepLast is null && MaxAge is null && IdleThreadTtl is null)
        {
            throw new ArgumentException("A retention policy needs at least one of KeepLast, MaxAge and IdleThreadTtl.");
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
