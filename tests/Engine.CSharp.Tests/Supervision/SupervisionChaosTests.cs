using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>A three-level tree under random failures and traffic: no hang, no leak, every message accounted for.</summary>
public class SupervisionChaosTests
{
    private static IEnumerable<TestCaseData> Seeds() =>
        Enumerable.Range(1, 12).Select(seed => new TestCaseData(seed).SetName($"Tree_RandomFailures_NoHangNoLeakAndMessagesConserved_seed{seed}"));

    [TestCaseSource(nameof(Seeds))]
    public async Task Tree_RandomFailures_NoHangNoLeakAndMessagesConserved(int seed)
    {
        var random = new Random(seed);
        var system = new ActorSystem("s");
        var processed = 0L;
        var sent = 0L;
        var deadLettered = new ConcurrentBag<DeadLetter>();
        using var subscription = system.DeadLetters.Subscribe(new Observer<DeadLetter>(d =>
        {
            if (d.Message is int)
            {
                deadLettered.Add(d);
            }
        }));
        ChildSpec Worker(string id) => ChildSpec.Worker<int>(
            id,
            () => new DelegateActorForTests(async m =>
            {
                if (m % 3 == 0)
                {
                    await Task.Yield();
                }

                if (m < 0)
                {
                    throw new InvalidOperationException("chaos " + m);
                }

                Interlocked.Increment(ref processed);
            }),
            (RestartType)random.Next(2));
        var lenient = new SupervisorOptions { MaxRestarts = 1_000_000, Strategy = (SupervisionStrategy)random.Next(3) };
        var leaves = new[] { "w1", "w2", "w3" };
        var level2 = ChildSpec.Supervisor("l2", lenient with { Strategy = (SupervisionStrategy)random.Next(3) }, leaves.Select(Worker));
        var level1 = ChildSpec.Supervisor("l1", lenient with { Strategy = (SupervisionStrategy)random.Next(3) }, [Worker("v1"), level2, Worker("v2")]);
        var root = await Supervisor.StartAsync(system, "root", [Worker("u1"), level1], lenient).Bounded();

        for (var i = 0; i < 2000; i++)
        {
            var target = random.Next(6) switch
            {
                0 => TryGet(root, "u1"),
                1 => TryGet(root, "l1", "v1"),
                2 => TryGet(root, "l1", "v2"),
                _ => TryGet(root, "l1", "l2", leaves[random.Next(3)]),
            };
            if (target is null)
            {
                continue;
            }

            var message = random.Next(10) == 0 ? -i - 1 : i;
            Interlocked.Increment(ref sent);
            target.Tell(message);
            if (random.Next(50) == 0)
            {
                target.TryPost(i);
                Interlocked.Increment(ref sent);
            }
        }

        await system.DisposeAsync().AsTask().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(system.GetHealth().Actors, Is.Empty, "no leaked actor");
            Assert.That(root.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(system.Completion.IsCompletedSuccessfully, Is.True);
            Assert.That(deadLettered.Where(d => d.Reason == DeadLetterReason.HandlerFaulted).Select(d => (int)d.Message!), Is.All.Negative, "only failing messages are dead-lettered as faulted");
            Assert.That(Interlocked.Read(ref processed) + deadLettered.Count, Is.EqualTo(Interlocked.Read(ref sent)), "sent = processed + dead-lettered");
        });

        static ActorRef<int>? TryGet(Supervisor root, params string[] path)
        {
            var supervisor = root;
            for (var i = 0; i < path.Length - 1; i++)
            {
                try
                {
                    supervisor = supervisor.GetSupervisor(path[i]);
                }
                catch (KeyNotFoundException)
                {
                    return null;
                }
            }

            return supervisor.TryGetChild<int>(path[^1], out var child) ? child : null;
        }
    }
}

/// <summary>A worker from a function of the message only.</summary>
internal sealed class DelegateActorForTests(Func<int, ValueTask> handler) : IActor<int>
{
    public ValueTask ReceiveAsync(int message, ActorContext context) => handler(message);
}
