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
                await gate.Task.WaitAsync(Wait.Timeout);
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
        // Steady state: batches that fit the mailbox, so no sender waits. (A sender that must wait for space
        // goes through Dataflow's SendAsync, which allocates per waiting message: that is back-pressure, not
        // the steady state; docs/performance.md gives its cost.)
        await using var system = new ActorSystem();
        const int batch = 500;
        const int batches = 200;
        TaskCompletionSource? done = null;
        var seen = 0;
        var actor = system.Spawn<int>("a", (m, _) =>
        {
            if (++seen % batch == 0)
            {
                done!.SetResult();
            }

            return ValueTask.CompletedTask;
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(1024) });

        async Task SendBatches()
        {
            for (var b = 0; b < batches; b++)
            {
                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                for (var m = 0; m < batch; m++)
                {
                    await actor.SendAsync(m);
                }

                await done.Task.Bounded();
            }
        }

        await SendBatches(); // warm up: fill the pool and JIT the paths
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await SendBatches();
        var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)(batch * batches);

        TestContext.Out.WriteLine($"allocated {perMessage:F1} B/message");
        Assert.That(perMessage, Is.LessThan(8), "pooled envelopes: steady-state sends allocate (almost) nothing");
    }

    [Test]
    public async Task SendAsync_ProducerFloodsABlockMailbox_AllocatesLittlePerMessage()
    {
        // The producer outruns the actor, so most sends wait for space: waiting senders share one signal per
        // drain to half capacity, instead of one Dataflow SendAsync source per waiting message.
        await using var system = new ActorSystem();
        const int count = 100_000;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        var actor = system.Spawn<int>("a", (m, _) =>
        {
            if (++seen % count == 0)
            {
                done.SetResult();
            }

            return ValueTask.CompletedTask;
        }, new ActorOptions { Mailbox = MailboxOptions.Bounded(1024) });

        for (var m = 0; m < count; m++)
        {
            await actor.SendAsync(m);
        }

        await done.Task.Bounded();
        done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var m = 0; m < count; m++)
        {
            await actor.SendAsync(m);
        }

        await done.Task.Bounded();
        var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;

        TestContext.Out.WriteLine($"allocated {perMessage:F1} B/message under back-pressure");
        Assert.That(perMessage, Is.LessThan(32));
    }
}
