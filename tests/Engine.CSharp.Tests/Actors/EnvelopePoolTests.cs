using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class EnvelopePoolTests
{
#if DEBUG
    [Test]
    public async Task Envelopes_AfterHundredThousandMessagesOverAllPaths_AreAllReturned()
    {
        var system = new ActorSystem();
        var pool = system.GetEnvelopePool<int>();
        var i = 0;
        foreach (var policy in Enum.GetValues<OverflowPolicy>())
        {
            var options = new ActorOptions { Mailbox = MailboxOptions.Bounded(8, policy) };

            // Processed, dropped or rejected by policy.
            var busy = system.Spawn<int>($"busy{i}", async (m, _) =>
            {
                if (m % 3 == 0)
                {
                    await Task.Yield();
                }
            }, options);
            for (var m = 1; m <= 25_000; m++)
            {
                if (policy == OverflowPolicy.Block)
                {
                    await busy.SendAsync(m);
                }
                else
                {
                    busy.TryPost(m);
                }
            }

            // The handler throws: the failing message and those queued behind it are dead-lettered.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var failing = system.Spawn<int>($"failing{i}", async (m, _) =>
            {
                await gate.Task;
                throw new InvalidOperationException("fail");
            }, options);
            for (var m = 0; m < 5; m++)
            {
                failing.TryPost(m);
            }

            gate.SetResult();
            Assert.That(async () => await failing.Completion.Bounded(), Throws.InvalidOperationException);

            // Left in a mailbox that stops at once.
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stopped = system.Spawn<int>($"stopped{i}", async (m, ctx) => await held.Task.WaitAsync(ctx.CancellationToken), options);
            for (var m = 0; m < 5; m++)
            {
                stopped.TryPost(m);
            }

            await stopped.StopAsync(TimeSpan.Zero).Bounded();
            i++;
        }

        await system.DisposeAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(pool.RentedCount, Is.GreaterThanOrEqualTo(100_000));
            Assert.That(pool.Outstanding, Is.Zero, "every rented envelope was returned exactly once");
        });
    }
#endif

    [Test]
    public async Task SteadyState_StreamingMessages_AllocatesLittlePerMessage()
    {
        await using var system = new ActorSystem();
        const int count = 100_000;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        var actor = system.Spawn<int>("a", (m, _) =>
        {
            if (++seen == count * 2)
            {
                done.SetResult();
            }

            return ValueTask.CompletedTask;
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(1024) });

        // Warm up: fill the pool and JIT the paths.
        for (var m = 0; m < count; m++)
        {
            await actor.SendAsync(m);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var m = 0; m < count; m++)
        {
            await actor.SendAsync(m);
        }

        await done.Task.Bounded();
        var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;

        TestContext.Out.WriteLine($"allocated {perMessage:F1} B/message");
        Assert.That(perMessage, Is.LessThan(32), "pooled envelopes: steady-state sends allocate (almost) nothing");
    }
}
