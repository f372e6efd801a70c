using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>
/// A stop's bounded wait leaves no timer behind: the code after it (the rest of a stop or a dispose) runs with the
/// timeout's timer already disposed, even when it runs inline on the thread that completed the awaited task.
/// </summary>
public class TimedWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Test]
    public async Task WithinAsync_TaskCompletesInline_TimerIsDisposedBeforeTheCallerContinues()
    {
        var clock = new FakeClock();

        // No RunContinuationsAsynchronously: the awaiting code runs inline inside SetResult, as a stop's does.
        var source = new TaskCompletionSource();
        var armedAfterTheWait = -1;
        var waiter = WaitThenCountAsync();
        await clock.WhenArmed(Patience);

        // Completed from a pool thread with no synchronization context (the test's own would keep the awaiting code
        // from running inline), as an actor's stop completes.
        await Task.Run(source.SetResult).Bounded();
        await waiter.Bounded();

        Assert.That(armedAfterTheWait, Is.Zero, "the timer outlived the wait");
        Assert.That(clock.ArmedTimers, Is.Zero);

        async Task WaitThenCountAsync()
        {
            await source.Task.WithinAsync(Patience, clock).ConfigureAwait(false);
            armedAfterTheWait = clock.ArmedTimers;
        }
    }

    [Test]
    public async Task WithinAsync_TimeoutPassesOnTheClock_ThrowsTimeoutAndLeavesNoTimer()
    {
        var clock = new FakeClock();
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = never.Task.WithinAsync(Patience, clock);
        await clock.WhenArmed(Patience);

        clock.Advance(Patience - TimeSpan.FromTicks(1));
        Assert.That(waiting.IsCompleted, Is.False, "not yet due");
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.That(async () => await waiting.Bounded(), Throws.TypeOf<TimeoutException>());
        Assert.That(clock.ArmedTimers, Is.Zero);
    }

    [Test]
    public async Task WithinAsync_TaskFailsOrIsCancelled_RethrowsItsOwnOutcome()
    {
        var clock = new FakeClock();
        var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancellation = new CancellationTokenSource();
        var failed = failing.Task.WithinAsync(Patience, clock);
        var canceled = cancelled.Task.WithinAsync(Patience, clock);

        failing.SetException(new InvalidOperationException("boom"));
        cancellation.Cancel();
        cancelled.SetCanceled(cancellation.Token);

        Assert.That(async () => await failed.Bounded(), Throws.InvalidOperationException.With.Message.EqualTo("boom"));
        Assert.That(async () => await canceled.Bounded(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(clock.ArmedTimers, Is.Zero);
    }
}
