using System.Diagnostics.Metrics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to any <see cref="ICheckpointer"/>, with the store's own operations
/// (<see cref="ICheckpointer.PruneAsync"/>, <see cref="ICheckpointer.DeleteThreadAsync"/>, and the built-in stores'
/// delete of chosen checkpoints), so chunked and shared state stays consistent by construction: the store deletes a
/// state or chunk with its last reference. The in-memory, SQLite and PostgreSQL stores list what the policy decides by
/// (ids, parents, times, sizes) without reading states or pending-write payloads; any other store, a
/// <see cref="ProtectedCheckpointer"/> too, is read whole.
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
            var history = await RowsAsync(store, thread, cancellationToken).ConfigureAwait(false);
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

            deleted += await ApplyToThreadAsync(store, thread, history, RetentionPlan.Keep(history, policy, now), dryRun, cancellationToken).ConfigureAwait(false);
        }

        if (!dryRun)
        {
            Sweeps.Add(1);
            CheckpointsPruned.Add(deleted);
            ThreadsExpired.Add(deletedThreads.Count);
        }

        return new RetentionResult(threads.Count, deletedThreads, deleted, dryRun);
    }

    /// <summary>
    /// What retention decides the thread by, newest first: from a store that lists it without payloads
    /// (<see cref="IRetentionRows"/>), else from its whole history.
    /// </summary>
    private static async Task<IReadOnlyList<RetentionRow>> RowsAsync(ICheckpointer store, string thread, CancellationToken cancellationToken)
    {
        if (store is IRetentionRows rows)
        {
            return await rows.ListRetentionRowsAsync(thread, cancellationToken).ConfigureAwait(false);
        }

        var history = await store.ListAsync(thread, cancellationToken: cancellationToken).ConfigureAwait(false);
        return history.Select(RetentionRow.Of).ToList();
    }

    /// <summary>Deletes what <paramref name="keep"/> leaves out of <paramref name="history"/> (newest first); returns how many.</summary>
    private static async Task<int> ApplyToThreadAsync(ICheckpointer store, string thread, IReadOnlyList<RetentionRow> history, HashSet<long> keep, bool dryRun, CancellationToken cancellationToken)
    {
        var oldestKept = keep.Min();
        var doomed = history.Where(c => !keep.Contains(c.Id)).Select(c => c.Id).ToList();
        if (doomed.Count == 0)
        {
            return 0;
        }

        if (doomed.TrueForAll(id => id < oldestKept) || store is not ICheckpointDeletion { CanDeleteCheckpoints: true } deletion)
        {
            // A tail by id: what PruneAsync keeps. Without chosen deletes, the tail from the oldest kept checkpoint.
            var tail = history.Count(c => c.Id >= oldestKept);
            if (!dryRun)
            {
                await store.PruneAsync(thread, tail, cancellationToken).ConfigureAwait(false);
            }

            return history.Count - tail;
        }

        if (!dryRun)
        {
            await deletion.DeleteCheckpointsAsync(thread, doomed, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count;
    }
}
