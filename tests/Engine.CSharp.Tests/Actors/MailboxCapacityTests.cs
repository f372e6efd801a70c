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
