using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>
/// The exclusive actor's mailbox loop: an idle actor is handed its message without a Dataflow wake, order holds
/// across the hand-over and the queue, and a stop racing the senders loses nothing.
/// </summary>
public class MailboxLoopTests
{
    [Test]
    public async Task SendAsync_PingPongBetweenIdleActors_AllocatesAlmostNothingPerRoundTrip()
    {
        await using var system = new ActorSystem();
        const int roundTrips = 20_000;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var replies = 0;
        ActorRef<int>? pinger = null;
        var ponger = system.Spawn<int>("ponger", (m, _) => pinger!.SendAsync(m));
        pinger = system.Spawn<int>("pinger", (m, _) =>
        {
            if (++replies % roundTrips == 0)
            {
                done.SetResult();
                return ValueTask.CompletedTask;
            }

            return ponger.SendAsync(m);
        });

        async Task RoundTrips()
        {
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await ponger.SendAsync(0);
            await Wait.For(done.Task, $"{roundTrips} round trips ended");
        }

        await RoundTrips(); // warm up: fill the pool and JIT the paths
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await RoundTrips();
        var perRoundTrip = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)roundTrips;

        TestContext.Out.WriteLine($"allocated {perRoundTrip:F1} B/round trip");
        Assert.That(perRoundTrip, Is.LessThan(32), "each wake hands the message over without a Task (a Dataflow block's wake costs 64 B)");
    }

    [Test]
    public async Task Tell_OneSenderInBurstsWithIdlePauses_HandlesEveryMessageInSendOrder()
    {
        await using var system = new ActorSystem();
        var seen = new List<int>();
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waitFor = -1;
        var actor = system.Spawn<int>("a", (m, _) =>
        {
            seen.Add(m);
            if (m == Volatile.Read(ref waitFor))
            {
                idle.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });

        var next = 0;
        for (var round = 0; round < 600; round++)
        {
            // Every third burst waits until the actor has handled it, so the next send finds it idle (the
            // hand-over); the others arrive while it runs (the queue), and some while it is releasing.
            var burst = (round % 7) + 1;
            var waits = round % 3 == 0;
            if (waits)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref waitFor, next + burst - 1);
            }

            for (var i = 0; i < burst; i++)
            {
                actor.Tell(next++);
            }

            if (waits)
            {
                await Wait.For(idle.Task, $"message {next - 1} was handled");
            }
        }

        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, next)), "one sender's messages are handled in send order");
    }

    private static IEnumerable<TestCaseData> StopRaceCases()
    {
        foreach (var policy in Enum.GetValues<OverflowPolicy>())
        {
            for (var seed = 1; seed <= 4; seed++)
            {
                // One producer mostly keeps pace with the actor, so its messages are handed over while the loop owns
                // the actor (running or spinning for work); four mostly queue.
                foreach (var producers in new[] { 1, 4 })
                {
                    yield return new TestCaseData(policy, seed, producers).SetName($"StopWhileSending_{policy}_seed{seed}_producers{producers}");
                }
            }
        }
    }

    [TestCaseSource(nameof(StopRaceCases))]
    public async Task StopAsync_WhileProducersSend_EveryMessageIsProcessedOrDeadLetteredOnce(OverflowPolicy policy, int seed, int producers)
    {
        var random = new Random(seed);
        var capacity = random.Next(1, 16);
        var drain = random.Next(2) == 0 ? TimeSpan.Zero : Timeout.InfiniteTimeSpan;
        var perProducer = 1200 / producers;
        var quarter = 300;
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var processed = new ConcurrentBag<int>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>(
            "sink",
            (m, _) =>
            {
                if (processed.Count == quarter)
                {
                    halfway.TrySetResult();
                }

                processed.Add(m);
                return ValueTask.CompletedTask;
            },
            new ActorOptions { Mailbox = MailboxOptions.Bounded(capacity, policy) });

        var sending = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                var message = (p * perProducer) + i;
                if (policy == OverflowPolicy.Block)
                {
                    await actor.SendAsync(message);
                }
                else
                {
                    actor.TryPost(message);
                }
            }
        })).ToArray();

        var stopped = Task.WhenAny(halfway.Task, Task.WhenAll(sending)).Unwrap()
            .ContinueWith(_ => actor.StopAsync(drain), TaskScheduler.Default).Unwrap();
        await Task.WhenAll(sending).Bounded();
        await stopped.Bounded();

        var sent = producers * perProducer;
        var all = processed.Concat(dead.Letters.Select(l => (int)l.Message!)).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(Enumerable.Range(0, sent)), "each message processed or dead-lettered, exactly once");
            Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
        });
    }
}
