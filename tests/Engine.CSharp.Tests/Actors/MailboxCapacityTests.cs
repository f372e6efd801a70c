using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>What the capacity counts: waiting messages, plus those being handled when parallelism is unbounded.</summary>
public class MailboxCapacityTests
{
    [Test]
    public async Task TryPost_OneAtATimeWithAHeldHandler_AcceptsCapacityMoreWaiting()
    {
        await using var system = new ActorSystem();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            if (m == 0)
            {
                started.SetResult();
                await gate.Task.WaitAsync(Wait.Timeout);
            }
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(3, OverflowPolicy.Reject) });
        actor.Tell(0);
        await started.Task.Bounded();

        var results = Enumerable.Range(1, 4).Select(actor.TryPost).ToList();
        var waiting = actor.QueueLength;
        gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new[] { PostResult.Accepted, PostResult.Accepted, PostResult.Accepted, PostResult.Rejected }));
            Assert.That(waiting, Is.EqualTo(3), "the handled message is not waiting");
        });
    }

    [Test]
    public async Task TryPost_AfterTheOwnerTookMessages_AcceptsExactlyTheFreedSpace()
    {
        // The senders keep a copy of the owner's count that lags; a sender that finds the mailbox full by its copy must
        // read the owner's count before it rejects (Reject and DropNewest are exact).
        await using var system = new ActorSystem();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (m, _) =>
        {
            if (m == 0)
            {
                firstStarted.SetResult();
                await firstGate.Task.WaitAsync(Wait.Timeout);
            }
            else if (m == 3)
            {
                lastStarted.SetResult();
                await lastGate.Task.WaitAsync(Wait.Timeout);
            }
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(3, OverflowPolicy.Reject) });
        actor.Tell(0);
        await firstStarted.Task.Bounded();
        var filling = Enumerable.Range(1, 4).Select(actor.TryPost).ToList();

        firstGate.SetResult();
        await lastStarted.Task.Bounded();
        var waitingBefore = actor.QueueLength;
        var afterTaking = Enumerable.Range(10, 4).Select(actor.TryPost).ToList();
        lastGate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(filling, Is.EqualTo(new[] { PostResult.Accepted, PostResult.Accepted, PostResult.Accepted, PostResult.Rejected }));
            Assert.That(waitingBefore, Is.Zero, "1 to 3 were taken");
            Assert.That(afterTaking, Is.EqualTo(new[] { PostResult.Accepted, PostResult.Accepted, PostResult.Accepted, PostResult.Rejected }), "exactly the three freed places");
        });
    }

    [Test]
    public async Task SendAsync_SeveralSendersThroughASmallMailbox_EveryMessageArrivesAndTheCapacityHolds([Values(1, 4)] int senders)
    {
        // Back-pressure with the owner's plain-write count: a sender that starts to wait must always be woken (a lost
        // wake would hang here, and the bounded wait fails the test instead).
        const int capacity = 4;
        const int perSender = 20_000;
        for (var round = 0; round < 5; round++)
        {
            await using var system = new ActorSystem();
            var handled = 0L;
            var maxWaiting = 0;
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ActorRef<int>? self = null;
            var actor = system.Spawn<int>("a", (_, _) =>
            {
                Peak.Raise(ref maxWaiting, self!.QueueLength);
                if (++handled == senders * (long)perSender)
                {
                    all.SetResult();
                }

                return ValueTask.CompletedTask;
            }, new ActorOptions { Mailbox = MailboxOptions.Bounded(capacity, OverflowPolicy.Block) });
            self = actor;

            var sending = Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < perSender; i++)
                {
                    await actor.SendAsync(i);
                }
            })).ToArray();
            await Task.WhenAll(sending).Bounded();
            await all.Task.Bounded();

            Assert.That(maxWaiting, Is.LessThanOrEqualTo(capacity), $"round {round}");
        }
    }

    [Test]
    public async Task TryPost_UnboundedParallelism_CountsTheMessagesBeingHandled()
    {
        await using var system = new ActorSystem();
        var entered = 0;
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("a", async (_, _) =>
        {
            if (Interlocked.Increment(ref entered) == 2)
            {
                bothStarted.SetResult();
            }

            await gate.Task.WaitAsync(Wait.Timeout);
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(2, OverflowPolicy.Reject), MaxDegreeOfParallelism = ActorOptions.UnboundedParallelism });

        var first = new[] { actor.TryPost(1), actor.TryPost(2) };
        await bothStarted.Task.Bounded();
        var third = actor.TryPost(3);
        gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { PostResult.Accepted, PostResult.Accepted }));
            Assert.That(third, Is.EqualTo(PostResult.Rejected), "two messages being handled fill a capacity of 2");
        });
    }

    [Test]
    public async Task Tell_ThroughputOfOne_HandlesEveryMessageInOrder()
    {
        await using var system = new ActorSystem();
        var seen = new List<int>();
        var actor = system.Spawn<int>("a", (m, _) =>
        {
            seen.Add(m);
            return ValueTask.CompletedTask;
        }, new ActorOptions { Throughput = 1 });

        for (var i = 0; i < 100; i++)
        {
            await actor.SendAsync(i);
        }

        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 100)), "one message per scheduling still runs them one at a time, in order");
    }

    [TestCase(0)]
    [TestCase(-2)]
    public async Task Spawn_ThroughputBelowOne_ThrowsNamingTheOption(int throughput)
    {
        await using var system = new ActorSystem();

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() =>
            system.Spawn<int>("a", (_, _) => ValueTask.CompletedTask, new ActorOptions { Throughput = throughput }));

        Assert.That(exception!.Message, Does.Contain("Throughput"));
    }
}
