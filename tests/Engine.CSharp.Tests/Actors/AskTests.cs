using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class AskTests
{
    private sealed record Add(int A, int B, ReplyChannel<int> Reply);

    [Test]
    public async Task AskAsync_ActorReplies_ReturnsTheReply()
    {
        await using var system = new ActorSystem();
        var adder = system.Spawn<Add>("adder", (m, _) =>
        {
            m.Reply.Reply(m.A + m.B);
            return ValueTask.CompletedTask;
        });

        var sum = await adder.AskAsync<int>(r => new Add(2, 3, r), TimeSpan.FromSeconds(10)).Bounded();

        Assert.That(sum, Is.EqualTo(5));
    }

    [Test]
    public async Task AskAsync_NoReplyWithinTimeout_ThrowsTimeoutAndLeavesNoTimer()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var silent = system.Spawn<Add>("silent", (_, _) => ValueTask.CompletedTask);

        var ask = silent.AskAsync<int>(r => new Add(1, 1, r), TimeSpan.FromSeconds(3));
        Assert.That(time.ArmedTimers, Is.EqualTo(1));
        time.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await ask.Bounded());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("Ask to '/s/silent' got no reply within 00:00:03."));
            Assert.That(time.ArmedTimers, Is.Zero, "a timed-out ask leaves nothing behind");
        });
    }

    [Test]
    public async Task AskAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var system = new ActorSystem();
        var silent = system.Spawn<Add>("silent", (_, _) => ValueTask.CompletedTask);
        using var cts = new CancellationTokenSource();

        var ask = silent.AskAsync<int>(r => new Add(1, 1, r), Timeout.InfiniteTimeSpan, cts.Token);
        await cts.CancelAsync();

        Assert.That(async () => await ask.Bounded(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task AskAsync_HandlerThrows_FailsAtOnceWithTheDeadLetter()
    {
        await using var system = new ActorSystem();
        var broken = system.Spawn<Add>("broken", (_, _) => throw new InvalidOperationException("bad request"));

        var error = await Assert.ThrowsAsync<MessageNotProcessedException>(async () => await broken.AskAsync<int>(r => new Add(1, 1, r), Timeout.InfiniteTimeSpan).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(error!.DeadLetter.Reason, Is.EqualTo(DeadLetterReason.HandlerFaulted));
            Assert.That(error.InnerException, Is.TypeOf<InvalidOperationException>());
        });
    }

    [Test]
    public async Task AskAsync_StoppedActor_FailsAtOnce()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn<Add>("a", (_, _) => ValueTask.CompletedTask);
        await actor.StopAsync().Bounded();

        var error = await Assert.ThrowsAsync<MessageNotProcessedException>(async () => await actor.AskAsync<int>(r => new Add(1, 1, r), Timeout.InfiniteTimeSpan).Bounded());

        Assert.That(error!.DeadLetter.Reason, Is.EqualTo(DeadLetterReason.ActorStopped));
    }
}
