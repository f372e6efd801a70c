using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

/// <summary>For every policy: sent = processed + dead-lettered, with 8 concurrent producers, over many seeds.</summary>
public class ConservationPropertyTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var policy in Enum.GetValues<OverflowPolicy>())
        {
            for (var seed = 1; seed <= 12; seed++)
            {
                yield return new TestCaseData(policy, seed).SetName($"SentEqualsProcessedPlusDeadLettered_{policy}_seed{seed}");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Send_EightProducers_EveryMessageIsProcessedOrDeadLettered(OverflowPolicy policy, int seed)
    {
        var random = new Random(seed);
        var capacity = random.Next(1, 8);
        var perProducer = random.Next(50, 400);
        await using var system = new ActorSystem();
        using var dead = new DeadLetterRecorder(system);
        var processed = new ConcurrentBag<int>();
        var slowEvery = random.Next(2, 6);
        var actor = system.Spawn<int>(
            "sink",
            async (m, _) =>
            {
                if (m % slowEvery == 0)
                {
                    await Task.Yield();
                }

                processed.Add(m);
            },
            new ActorOptions { Mailbox = MailboxOptions.Bounded(capacity, policy) });

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            await start.Task.WaitAsync(Wait.Timeout);
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
        start.SetResult();
        await Task.WhenAll(producers).Bounded();
        await actor.StopAsync(Timeout.InfiniteTimeSpan).Bounded();

        var sent = 8 * perProducer;
        var all = processed.Concat(dead.Letters.Select(l => (int)l.Message!)).Order().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(processed.Count + dead.Count, Is.EqualTo(sent));
            Assert.That(all, Is.EqualTo(Enumerable.Range(0, sent)), "each message exactly once");
            if (policy == OverflowPolicy.Block)
            {
                Assert.That(dead.Count, Is.Zero, "Block loses nothing");
            }
        });
    }
}
