namespace Graph.Engine.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when told: <see cref="Advance"/> by an amount, or
/// <see cref="AdvanceToNextTimer"/> straight to the next armed timer (a timeout, a retry backoff, a heartbeat), so a
/// test never waits for real time. Due timers fire synchronously on the thread that advances, in due-time order
/// (ties in creation order). Thread-safe.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly object gate = new();
    private readonly List<SimulatedTimer> armed = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Armed)> waiters = [];
    private DateTimeOffset now;
    private long created;

    /// <summary>Creates a clock at <paramref name="start"/>, or at 2026-01-01T00:00:00Z.</summary>
    /// <param name="start">The clock's first time; null for 2026-01-01T00:00:00Z.</param>
    public SimulatedClock(DateTimeOffset? start = null)
    {
        now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The time elapsed since the clock was created.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The number of timers armed and not yet fired, changed to infinite or disposed.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (gate)
            {
                return armed.Count;
            }
        }
    }

    /// <summary>Called (outside the clock's lock) after a timer is armed with a finite due time; the scheduler wakes on it.</summary>
    internal event Action? TimerArmed;

    /// <summary>
    /// Completes when a timer is armed with exactly <paramref name="dueTime"/> (at once if one is armed now), so a test
    /// advances the clock only after the code under test has armed its timer (an advance before would pass it by).
    /// </summary>
    /// <param name="dueTime">The due time the timer is armed with (for example a restart delay).</param>
    /// <returns>A task that completes when such a timer is armed.</returns>
    public Task WhenArmedAsync(TimeSpan dueTime)
    {
        lock (gate)
        {
            if (armed.Any(t => t.DueTime == dueTime))
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((dueTime, waiter));
            return waiter.Task;
        }
    }

    /// <summary>When the next armed timer is due, or null when none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (gate)
            {
                return armed.Count == 0 ? null : armed.Min(t => t.Due);
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state, Interlocked.Increment(ref created));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way, each at its due time.</summary>
    /// <param name="delta">How far to move; zero fires the timers already due.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (gate)
        {
            target = now + delta;
        }

        while (FireNext(target))
        {
        }

        lock (gate)
        {
            if (target > now)
            {
                Elapsed += target - now;
                now = target;
            }
        }
    }

    /// <summary>Jumps to the next armed timer and fires it (and any other due at the same time).</summary>
    /// <returns>False when no timer is armed (the clock does not move).</returns>
    public bool AdvanceToNextTimer()
    {
        var next = NextDue;
        if (next is not { } due)
        {
            return false;
        }

        var delta = due - GetUtcNow();
        Advance(delta < TimeSpan.Zero ? TimeSpan.Zero : delta);
        return true;
    }

    /// <summary>Fires the earliest timer due at or before <paramref name="limit"/>, moving the clock to its due time.</summary>
    private bool FireNext(DateTimeOffset limit)
    {
        SimulatedTimer? timer;
        lock (gate)
        {
            timer = null;
            foreach (var candidate in armed)
            {
                if (candidate.Due <= limit && (timer is null || candidate.Due < timer.Due || (candidate.Due == timer.Due && candidate.Order < timer.Order)))
                {
                    timer = candidate;
                }
            }

            if (timer is null)
            {
                return false;
            }

            if (timer.Due > now)
            {
                Elapsed += timer.Due - now;
                now = timer.Due;
            }

            if (timer.Period > TimeSpan.Zero)
            {
                timer.Due = now + timer.Period;
            }
            else
            {
                armed.Remove(timer);
            }
        }

        timer.Fire();
        return true;
    }

    internal void Arm(SimulatedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource>? ready = null;
        lock (gate)
        {
            armed.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = now + dueTime;
            timer.DueTime = dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            armed.Add(timer);
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].DueTime == dueTime)
                {
                    (ready ??= []).Add(waiters[i].Armed);
                    waiters.RemoveAt(i);
                }
            }
        }

        ready?.ForEach(w => w.TrySetResult());
        TimerArmed?.Invoke();
    }

    internal void Disarm(SimulatedTimer timer)
    {
        lock (gate)
        {
            armed.Remove(timer);
        }
    }
}
