using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The parallelism cap of one concurrent delegate node, shared by every run: lock-free counts of its tasks running
/// now. A task that finds no slot waits in the node's mailbox, whose single pump takes the next slot that frees
/// (<see cref="AcquireAsync"/>), so the mailbox's capacity is the node's back-pressure and the cap is exact.
/// </summary>
/// <remarks>
/// <para>
/// The cap is split into stripes, one per core (their count a power of two, at most the cap), each with its own count and its
/// share of the cap (its quota), on a cache line of its own. A task takes a slot of its run's stripe (the core the run started on)
/// and, when that stripe is full, of the next one with room; it gives the slot back to the stripe it came from. So
/// threads on different cores that run the node's synchronous tasks side by side write different lines (one shared
/// count made every core write the same line twice a task: the multi-caller runs then cost more than the runs of
/// one caller), and the cap stays exact: no stripe holds more than its quota, and the quotas sum to the cap.
/// </para>
/// <para>An unbounded node (<paramref name="cap"/> <see cref="int.MaxValue"/>) always has a free slot and counts nothing.</para>
/// </remarks>
/// <param name="cap">The most tasks of the node that may run at once.</param>
/// <param name="stripeCount">
/// The stripes wanted, rounded up to a power of two, then halved while above the cap. By default the cores, halved
/// while a stripe's quota would be under <see cref="MinimumDefaultQuota"/>: a small cap (a slow service's) gains nothing
/// from stripes, and a task that finds its own stripe full reads the others.
/// </param>
internal sealed class NodeSlots(int cap, int stripeCount = 0)
{
    /// <summary>The stripe of a slot of an unbounded node (nothing counted, nothing to give back).</summary>
    public const int Uncounted = -1;

    /// <summary>The smallest quota per stripe when the stripes are counted by default (by the cores).</summary>
    public const int MinimumDefaultQuota = 4;

    private readonly CoreStripe[] stripes = CreateStripes(cap, stripeCount);
    private TaskCompletionSource? waiter;

    /// <summary>Takes a slot if one is free, trying the current core's stripe first.</summary>
    /// <param name="stripe">The stripe to give it back to (<see cref="Release"/>).</param>
    public bool TryAcquire(out int stripe) => TryAcquireCore(Thread.GetCurrentProcessorId(), out stripe, wake: true);

    /// <summary>Takes a slot if one is free, trying stripe <paramref name="preferred"/> first.</summary>
    /// <param name="preferred">The core stripe of the task's run, read when the run started (taken modulo the stripes), so no task reads the core again.</param>
    /// <param name="stripe">The stripe to give it back to (<see cref="Release"/>).</param>
    public bool TryAcquire(int preferred, out int stripe) => TryAcquireCore(preferred, out stripe, wake: true);

    /// <summary>Gives a slot back to its stripe and wakes the mailbox pump if it waits for one.</summary>
    /// <param name="stripe">The stripe <see cref="TryAcquire(int, out int)"/> or <see cref="AcquireAsync"/> gave.</param>
    public void Release(int stripe)
    {
        if (stripe == Uncounted)
        {
            return;
        }

        var count = Interlocked.Decrement(ref stripes[stripe].Count);
        Debug.Assert(count >= 0, "A slot was given back twice.");
        if (Volatile.Read(ref waiter) is not null)
        {
            Interlocked.Exchange(ref waiter, null)?.TrySetResult();
        }
    }

    /// <summary>Waits for a slot. Only the node's mailbox pump calls it (one caller at a time).</summary>
    /// <returns>The stripe to give the slot back to.</returns>
    public async ValueTask<int> AcquireAsync()
    {
        int stripe;
        while (!TryAcquire(out stripe))
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // A full fence, not a plain write: the retry below may read every count without an interlocked operation
            // (full stripes are skipped by a plain read), and a releaser decrements, then reads the waiter. With the
            // registration ordered before the reads, one of the two sees the other.
            Interlocked.Exchange(ref waiter, signal);

            // Try again after registering: a slot may have been released between the failed try and the registration.
            // A failed retry gives its counts back without waking: Release would wake this very waiter, and the pump
            // would spin (a new signal each turn) for as long as the node stays full. A slot released meanwhile by a
            // task wakes the waiter registered above.
            if (TryAcquireCore(Thread.GetCurrentProcessorId(), out stripe, wake: false))
            {
                Interlocked.CompareExchange(ref waiter, null, signal);
                return stripe;
            }

            await signal.Task.ConfigureAwait(false);
        }

        return stripe;
    }

    /// <summary>
    /// Takes a slot of stripe <paramref name="preferred"/> (modulo the stripes), else of the first other stripe with room. A stripe is counted into
    /// (one increment) only when it looks free; an increment that overshoots its quota is given back at once, and,
    /// when <paramref name="wake"/>, wakes the waiting pump: the pump's own try may have failed only because of this
    /// transient count.
    /// </summary>
    private bool TryAcquireCore(int preferred, out int stripe, bool wake)
    {
        var all = stripes;
        if (all.Length == 0)
        {
            stripe = Uncounted;
            return true;
        }

        var mask = all.Length - 1;
        var first = preferred & mask;
        for (var i = 0; i <= mask; i++)
        {
            stripe = (first + i) & mask;
            ref var s = ref all[stripe];
            if (Volatile.Read(ref s.Count) >= s.Quota)
            {
                continue;
            }

            if (Interlocked.Increment(ref s.Count) <= s.Quota)
            {
                return true;
            }

            if (wake)
            {
                Release(stripe);
            }
            else
            {
                Interlocked.Decrement(ref s.Count);
            }
        }

        stripe = Uncounted;
        return false;
    }

    private static CoreStripe[] CreateStripes(int cap, int stripeCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        if (cap == int.MaxValue)
        {
            return [];
        }

        var stripes = new CoreStripe[stripeCount > 0 ? CoreStripe.CountFor(cap, stripeCount) : CoreStripe.CountFor(Math.Max(1, cap / MinimumDefaultQuota))];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i].Quota = (cap / stripes.Length) + (i < cap % stripes.Length ? 1 : 0);
        }

        return stripes;
    }
}
