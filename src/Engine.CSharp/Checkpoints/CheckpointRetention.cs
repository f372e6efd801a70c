using System.Diagnostics.Metrics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to any <see cref="ICheckpointer"/>, with the store's own operations
/// (<see cref="ICheckpointer.PruneAsync"/> and <see cref="ICheckpointer.DeleteThreadAsync"/>), so chunked and shared
/// state stays consistent by construction: the store deletes a state or chunk with its last reference.
/// </summary>
public static class CheckpointRetention
{
    /// <summary>The name of the <see cref="Meter"/> retention reports to.</summary>
    public const string MeterName = "Graph.Engine.Checkpoints";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> CheckpointsPruned = Meter.CreateCounter<long>("graph.checkpoints.pruned", "{checkpoint}", "Checkpoints deleted by retention.");
    private static readonly Counter<long> ThreadsExpired = Meter.CreateCounter<long>("graph.checkpoints.threads_expired", "{thread}", "Idle threads deleted by retention.");
    private static readonly Counter<long> Sweeps = Meter.CreateCounter<long>("graph.checkpoints.sweeps", "{sweep}", "Applications of a retention policy.");

    /// <summary>Applies <paramref name="policy"/> to every thread of <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="policy">What to keep.</param>
    /// <param name="time">The clock ages are measured with; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="dryRun">Count what would be deleted without deleting.</param>
    /// <param name="cancellationToken">Stops between threads.</param>
    /// <returns>What was (or would be) deleted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="policy"/> is null.</exception>
    /// <exception cref="ArgumentException">The policy is invalid (<see cref="RetentionPolicy.Validate"/>).</exception>
    public static async Task<RetentionResult> ApplyAsync(ICheckpointer store, RetentionPolicy policy, TimeProvider? time = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var threads = await store.ListThreadsAsync(cancellationToken).ConfigureAwait(false);
        var deletedThreads = new List<string>();
        var deleted = 0;
        foreach (var thread in threads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var history = await store.ListAsync(thread, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (history.Count == 0)
            {
                continue;
            }

            if (policy.IdleThreadTtl is { } ttl && history[0].CreatedAt < now - ttl)
            {
                deletedThreads.Add(thread);
                deleted += history.Count;
                if (!dryRun)
                {
                    await store.DeleteThreadAsync(thread, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            var keep = KeepCount(history, policy, now);
            if (keep < history.Count)
            {
                deleted += history.Count - keep;
                if (!dryRun)
                {
                    await store.PruneAsync(thread, keep, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (!dryRun)
        {
            Sweeps.Add(1);
            CheckpointsPruned.Add(deleted);
            ThreadsExpired.Add(deletedThreads.Count);
        }

        return new RetentionResult(threads.Count, deletedThreads, deleted, dryRun);
    }

    /// <summary>How many of the newest checkpoints (<paramref name="history"/> is newest first) the policy keeps; at least 1.</summary>
    private static int KeepCount(IReadOnlyList<Checkpoint> history, RetentionPolicy policy, DateTimeOffset now)
    {
        var keep = history.Count;
        if (policy.KeepLast is { } last)
        {
            keep = Math.Min(keep, last);
        }

        if (policy.MaxAge is { } age)
        {
            var young = 0;
            while (young < history.Count && history[young].CreatedAt >= now - age)
            {
                young++;
            }

            keep = Math.Min(keep, young);
        }

        return Math.Max(1, keep);
    }
}
