namespace Graph.Engine.Testing;

/// <summary>A timer of a <see cref="SimulatedClock"/>: fires when the clock is advanced past its due time.</summary>
internal sealed class SimulatedTimer(SimulatedClock clock, TimerCallback callback, object? state, long order) : ITimer
{
    private int disposed;

    public long Order { get; } = order;

    public DateTimeOffset Due { get; set; }

    public TimeSpan Period { get; set; }

    /// <summary>The due time the timer was last armed with (relative to the time of arming).</summary>
    public TimeSpan DueTime { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A timer's due time must be positive, zero or infinite.");
        }

        if (Volatile.Read(ref disposed) != 0)
        {
            return false;
        }

        clock.Arm(this, dueTime, period);
        return true;
    }

    public void Fire()
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            callback(state);
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref disposed, 1);
        clock.Disarm(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
