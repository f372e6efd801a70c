using Graph.Engine.Testing;

namespace Graph.Engine.Tests.Support;

/// <summary>
/// The suite's clock: the kit's <see cref="SimulatedClock"/>, moved only by <see cref="Advance"/>. It also tells a test
/// when the code under test has armed a timer (<see cref="WhenArmed"/>), so the test advances only after the timer
/// exists (an advance before would pass it by).
/// </summary>
/// <remarks>
/// Due timers fire synchronously inside <see cref="Advance"/>. A timer armed with a zero due time fires at once, on the
/// thread that arms it, as with Microsoft's FakeTimeProvider, which the suite's tests were written against.
/// </remarks>
public sealed class FakeClock : TimeProvider
{
    private readonly SimulatedClock clock = new();

    /// <summary>Timers armed and not yet fired, disarmed or disposed.</summary>
    public int ArmedTimers => clock.ArmedTimers;

    /// <summary>Completes when a timer with exactly <paramref name="dueTime"/> is armed (at once if one already is); fails the test after <see cref="Wait.Timeout"/>.</summary>
    public Task WhenArmed(TimeSpan dueTime) => Wait.For(clock.WhenArmedAsync(dueTime), $"a timer of {dueTime} is armed");

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing the timers that fall due on the way.</summary>
    public void Advance(TimeSpan delta) => clock.Advance(delta);

    /// <summary>Moves the clock forward to <paramref name="value"/>, firing the timers that fall due on the way.</summary>
    public void SetUtcNow(DateTimeOffset value) => clock.Advance(value - clock.GetUtcNow());

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ZeroDueFiresAtOnce(clock, clock.CreateTimer(callback, state, dueTime, period));
        timer.FireIfDue(dueTime);
        return timer;
    }

    private sealed class ZeroDueFiresAtOnce(SimulatedClock clock, ITimer inner) : ITimer
    {
        public void FireIfDue(TimeSpan dueTime)
        {
            if (dueTime == TimeSpan.Zero)
            {
                clock.Advance(TimeSpan.Zero);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            FireIfDue(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
