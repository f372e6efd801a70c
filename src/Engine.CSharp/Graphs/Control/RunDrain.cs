namespace Graph.Engine.Graphs;

/// <summary>
/// Counts a compiled graph's live runs and, once asked to drain, completes when none is left. Persisted runs read
/// <see cref="IsDraining"/> at each step boundary and stop there.
/// </summary>
/// <remarks>
/// The count is striped by core (<see cref="CoreStripe"/>): a run enters the stripe of the core it starts on and
/// leaves the same stripe, so runs started and ended side by side on different cores write different lines, and no
/// stripe is ever negative. A run live while the stripes are summed is always counted (its stripe holds it the whole
/// time); only a run that enters meanwhile can be missed, as a run that enters just after a single read of one count
/// would be (new runs are refused once the graph drains).
/// </remarks>
internal sealed class RunDrain
{
    private readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CoreStripe[] live = new CoreStripe[CoreStripe.CountFor(int.MaxValue)];
    private int draining;

    public bool IsDraining => Volatile.Read(ref draining) != 0;

    /// <summary>Completes when the graph is draining and no run is live.</summary>
    public Task Idle => idle.Task;

    /// <summary>Counts a run in.</summary>
    /// <returns>The stripe to count it out of (<see cref="Exit"/>).</returns>
    public int Enter()
    {
        var stripe = CoreStripe.Current(live.Length);
        Interlocked.Increment(ref live[stripe].Count);
        return stripe;
    }

    /// <summary>Counts a run out of the stripe <see cref="Enter"/> gave.</summary>
    public void Exit(int stripe)
    {
        // Decrement, then read the flag; Begin sets the flag, then reads the counts: one of the two sees the other.
        Interlocked.Decrement(ref live[stripe].Count);
        if (IsDraining && !AnyLive())
        {
            idle.TrySetResult();
        }
    }

    public Task Begin()
    {
        Interlocked.Exchange(ref draining, 1);
        if (!AnyLive())
        {
            idle.TrySetResult();
        }

        return idle.Task;
    }

    private bool AnyLive()
    {
        foreach (ref var stripe in live.AsSpan())
        {
            if (Volatile.Read(ref stripe.Count) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
