using Microsoft.Extensions.Time.Testing;

namespace Graph.Engine.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells a test when the code under test has armed a timer, so the test
/// advances the clock only after the timer exists (an advance before that would pass the timer by).
/// </summary>
/// <remarks>
/// FakeTimeProvider fires due timers synchronously inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, and rounds
/// due times down to whole milliseconds. A timer counts as armed from its creation or <c>Change</c> with a finite due
/// time until it fires (one-shot), is changed to infinite, or is disposed.
/// </remarks>
public sealed class FakeClock : FakeTimeProvider
{
    private readonly object _lock = new();
    private readonly List<WatchedTimer> _armed = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Armed)> _waiters = [];

    public FakeClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers armed and not yet fired, disarmed or disposed.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>Completes when a timer with exactly <paramref name="dueTime"/> is armed (at once if one already is); fails the test after <see cref="Wait.Timeout"/>.</summary>
    public Task WhenArmed(TimeSpan dueTime)
    {
        TaskCompletionSource armed;
        lock (_lock)
        {
            if (_armed.Any(t => t.DueTime == dueTime))
            {
                return Task.CompletedTask;
            }

            armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, armed));
        }

        return Wait.For(armed.Task, $"a timer of {dueTime} is armed");
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(timer.Fire, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Records a change; <paramref name="firesBefore"/> tells a one-shot timer that already fired (an advance in between) from a pending one.</summary>
    private void Arm(WatchedTimer timer, TimeSpan dueTime, TimeSpan period, int firesBefore)
    {
        lock (_lock)
        {
            var periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            if (dueTime == Timeout.InfiniteTimeSpan || (!periodic && (dueTime == TimeSpan.Zero || timer.Fires != firesBefore)))
            {
                _armed.Remove(timer);
                return;
            }

            timer.DueTime = dueTime;
            timer.Periodic = periodic;
            if (!_armed.Contains(timer))
            {
                _armed.Add(timer);
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].DueTime == dueTime)
                {
                    _waiters[i].Armed.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void Disarm(WatchedTimer timer, bool fired)
    {
        lock (_lock)
        {
            if (fired)
            {
                timer.Fires++;
            }

            if (!fired || !timer.Periodic)
            {
                _armed.Remove(timer);
            }
        }
    }

    private sealed class WatchedTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public TimeSpan DueTime { get; set; }

        public bool Periodic { get; set; }

        /// <summary>How often the timer fired; changed under the clock's lock.</summary>
        public int Fires { get; set; }

        private bool Disposed { get; set; }

        public void Fire(object? ignored)
        {
            clock.Disarm(this, fired: true);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Disposed)
            {
                return false;
            }

            // Schedule first, then report: a test woken by the report may advance the clock at once.
            int firesBefore;
            lock (clock._lock)
            {
                firesBefore = Fires;
            }

            var changed = Inner.Change(dueTime, period);
            clock.Arm(this, dueTime, period, firesBefore);
            return changed;
        }

        public void Dispose()
        {
            Disposed = true;
            clock.Disarm(this, fired: false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
