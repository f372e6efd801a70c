namespace Graph.Engine.Graphs;

/// <summary>
/// Counts a compiled graph's live runs and, once asked to drain, completes when none is left. Persisted runs read
/// <see cref="IsDraining"/> at each step boundary and stop there.
/// </summary>
internal sealed class RunDrain
{
    private readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int live;
    private int draining;

    public bool IsDraining => Volatile.Read(ref draining) != 0;

    /// <summary>Completes when the graph is draining and no run is live.</summary>
    public Task Idle => idle.Task;

    public int Live => Volatile.Read(ref live);

    public void Enter() => Interlocked.Increment(ref live);

    public void Exit()
    {
        // Decrement, then read the flag; Begin sets the flag, then reads the count: one of the two sees the other.
        if (Interlocked.Decrement(ref live) == 0 && IsDraining)
        {
            idle.TrySetResult();
        }
    }

    public Task Begin()
    {
        Interlocked.Exchange(ref draining, 1);
        if (Volatile.Read(ref live) == 0)
        {
            idle.TrySetResult();
        }

        return idle.Task;
    }
}
