using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>Each overflow policy at capacities 1 and 5, with the handler held by a gate on the first message.</summary>
public class MailboxPolicyTests
{
    private sealed class GatedRecorder
    {
        public readonly ConcurrentQueue<int> Processed = new();
        public readonly TaskCompletionSource FirstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask Handle(int message, ActorContext context)
        {
            if (message == 0)
            {
                FirstStarted.SetResult();
                await Gate.Task.WaitAsync(Wait.Timeout);
            }

            Processed.Enqueue(message);
        }
    }

    private static async Task<(GatedRecorder Recorder, ActorRef<int> Actor)> SpawnHeld(ActorSystem system, int capacity, OverflowPolicy policy)
    {
        var recorder = new GatedRecorder();
        var actor = system.Spawn<int>("a", recorder.Handle, new ActorOptions { Mailbox = MailboxOptions.Bounded(capacity, policy) });
        actor.Tell(0);
        await recorder.FirstStarted.Task.Bounded();
        return (recorder, actor);
    }

    [TestCase(1)]
    [TestCase(5)]
    public async Task TryPost_DropNewestWhenFull_DeadLettersTheArrivingMessages(int capacity)
    {
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var (recorder, actor) = await SpawnHeld(system, capacity, OverflowPolicy.DropNewest);

        var results = Enumerable.Range(1, capacity + 2).Select(actor.TryPost).ToList();
        recorder.Gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Repeat(PostResult.Accepted, capacity).Concat([PostResult.DroppedNewest, PostResult.DroppedNewest])));
            Assert.That(recorder.Processed, Is.EqualTo(Enumerable.Range(0, capacity + 1)));
            Assert.That(dead.Messages<int>(DeadLetterReason.DroppedNewest), Is.EqualTo(new[] { capacity + 1, capacity + 2 }));
            Assert.That(dead.Count, Is.EqualTo(2));
        });
    }

    [TestCase(1)]
    [TestCase(5)]
    public async Task TryPost_DropOldestWhenFull_DeadLettersExactlyOneOldestPerArrival(int capacity)
    {
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var (recorder, actor) = await SpawnHeld(system, capacity, OverflowPolicy.DropOldest);

        var results = Enumerable.Range(1, capacity + 2).Select(actor.TryPost).ToList();
        Assert.That(actor.QueueLength, Is.EqualTo(capacity));
        recorder.Gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Repeat(PostResult.Accepted, capacity).Concat([PostResult.AcceptedDroppedOldest, PostResult.AcceptedDroppedOldest])));
            Assert.That(recorder.Processed, Is.EqualTo(new[] { 0 }.Concat(Enumerable.Range(3, capacity))));
            Assert.That(dead.Messages<int>(DeadLetterReason.DroppedOldest), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(dead.Count, Is.EqualTo(2));
        });
    }

    [TestCase(1)]
    [TestCase(5)]
    public async Task Tell_RejectWhenFull_ThrowsNamingActorAndCapacityAndDeadLetters(int capacity)
    {
        await using var system = new ActorSystem("sys");
        using var dead = new DeadLetterRecorder(system);
        var (recorder, actor) = await SpawnHeld(system, capacity, OverflowPolicy.Reject);

        for (var i = 1; i <= capacity; i++)
        {
            actor.Tell(i);
        }

        var error = Assert.Throws<MailboxFullException>(() => actor.Tell(capacity + 1));
        Assert.That(async () => await actor.SendAsync(capacity + 2), Throws.TypeOf<MailboxFullException>());
        recorder.Gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo($"The mailbox of actor '/sys/a' is full (capacity {capacity}, policy Reject): the message was rejected."));
            Assert.That(error.ActorPath, Is.EqualTo("/sys/a"));
            Assert.That(error.Capacity, Is.EqualTo(capacity));
            Assert.That(recorder.Processed, Is.EqualTo(Enumerable.Range(0, capacity + 1)));
            Assert.That(dead.Messages<int>(DeadLetterReason.Rejected), Is.EqualTo(new[] { capacity + 1, capacity + 2 }));
        });
    }

    [TestCase(1)]
    [TestCase(5)]
    public async Task SendAsync_BlockWhenFull_WaitsForSpaceAndLosesNothing(int capacity)
    {
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var (recorder, actor) = await SpawnHeld(system, capacity, OverflowPolicy.Block);

        for (var i = 1; i <= capacity; i++)
        {
            Assert.That(actor.SendAsync(i).IsCompletedSuccessfully, Is.True, $"message {i} fits");
        }

        var waiting = actor.SendAsync(capacity + 1).AsTask();
        var tryPost = actor.TryPost(capacity + 2);
        Assert.Multiple(() =>
        {
            Assert.That(waiting.IsCompleted, Is.False, "the sender waits while the mailbox is full");
            Assert.That(tryPost, Is.EqualTo(PostResult.Rejected), "TryPost cannot wait");
        });

        recorder.Gate.SetResult();
        await waiting.Bounded();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Processed, Is.EqualTo(Enumerable.Range(0, capacity + 2)));
            Assert.That(dead.Messages<int>(DeadLetterReason.Rejected), Is.EqualTo(new[] { capacity + 2 }));
        });
    }

    [Test]
    public async Task SendAsync_CancelledWhileWaiting_ThrowsAndHandsTheMessageBack()
    {
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var (recorder, actor) = await SpawnHeld(system, 1, OverflowPolicy.Block);
        actor.Tell(1);
        using var cts = new CancellationTokenSource();

        var waiting = actor.SendAsync(2, cts.Token).AsTask();
        await cts.CancelAsync();

        Assert.That(async () => await waiting.Bounded(), Throws.InstanceOf<OperationCanceledException>());
        recorder.Gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Processed, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(dead.Count, Is.Zero);
        });
    }

    [Test]
    public async Task TryPost_UnboundedMailbox_AcceptsEverything()
    {
        await using var system = new ActorSystem();
        var recorder = new GatedRecorder();
        var actor = system.Spawn<int>("a", recorder.Handle, new ActorOptions { Mailbox = MailboxOptions.Unbounded });
        actor.Tell(0);
        await recorder.FirstStarted.Task.Bounded();

        var results = Enumerable.Range(1, 10_000).Select(actor.TryPost).Distinct().ToList();
        recorder.Gate.SetResult();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(new[] { PostResult.Accepted }));
            Assert.That(recorder.Processed, Has.Count.EqualTo(10_001));
        });
    }

    [Test]
    public void Bounded_CapacityBelowOne_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Bounded(0));
        Assert.That(error!.ParamName, Is.EqualTo("capacity"));
    }
}
