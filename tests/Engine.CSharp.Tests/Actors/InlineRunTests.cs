using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary><c>TryRunInline</c>: a message run on the caller's thread keeps the actor's one-at-a-time and lifecycle guarantees.</summary>
public class InlineRunTests
{
    [Test]
    public async Task TryRunInline_IdleActor_RunsOnTheCallersThreadWithTheSameHandler()
    {
        await using var system = new ActorSystem();
        var seen = new ConcurrentQueue<(int Message, int Thread)>();
        var actor = (ActorCell<int>)system.Spawn<int>("a", (m, _) =>
        {
            seen.Enqueue((m, Environment.CurrentManagedThreadId));
            return ValueTask.CompletedTask;
        });

        var ran = actor.TryRunInline(7);

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.True);
            Assert.That(seen, Is.EqualTo(new[] { (7, Environment.CurrentManagedThreadId) }));
        });
    }

    [Test]
    public async Task TryRunInline_WhileAHandlerRuns_RefusesSoTheCallerPosts()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = (ActorCell<int>)system.Spawn<int>("a", async (m, _) =>
        {
            started.TrySetResult();
            await gate.Task.WaitAsync(Wait.Timeout);
        });
        actor.Tell(1);
        await started.Task.Bounded();

        Assert.That(actor.TryRunInline(2), Is.False, "one message at a time: the mailbox loop owns the actor");
        gate.SetResult();
    }

    [Test]
    public async Task StopAsync_WhileAnInlineRunIsInFlight_WaitsForItBeforeStopping()
    {
        await using var system = new ActorSystem();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        var actor = (ActorCell<int>)system.Spawn<int>("a", async (m, _) =>
        {
            await gate.Task.WaitAsync(Wait.Timeout);
            finished = true;
        });
        var mailboxClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStopping = actor.StoppingToken.Register(() => mailboxClosed.TrySetResult());
        Assert.That(actor.TryRunInline(1), Is.True);

        var stopping = actor.StopAsync();
        await Wait.For(mailboxClosed.Task, "the stop closes the mailbox (which is empty) while the inline handler runs");
        var stoppedEarly = stopping.IsCompleted;
        gate.SetResult();
        await stopping.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(stoppedEarly, Is.False, "the stop waits for the inline handler");
            Assert.That(finished, Is.True);
            Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
        });
    }
}
