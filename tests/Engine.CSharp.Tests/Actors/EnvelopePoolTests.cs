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
    public void Rent_MoreThanABatchWithoutReturning_GivesDistinctClearedEnvelopes()
    {
        var pool = new EnvelopePool<PoolProbe>(maximumRetained: 64);
        var count = (EnvelopePool<PoolProbe>.BatchSize * 5) + 3;
        var rented = new HashSet<Envelope<PoolProbe>>(ReferenceEqualityComparer.Instance);
        for (var round = 0; round < 3; round++)
        {
            rented.Clear();
            for (var i = 0; i < count; i++)
            {
                var envelope = pool.Rent(new PoolProbe(i));
                Assert.That(envelope.Message.Value, Is.EqualTo(i));
                Assert.That(rented.Add(envelope), Is.True, $"envelope {i} of round {round} was already rented");
            }

            foreach (var envelope in rented)
            {
                pool.Return(envelope);
                Assert.That(envelope.Message, Is.Default, "a returned envelope holds no message");
            }
        }
    }

    [Test]
    public void RentOnOneThread_ReturnOnAnother_SteadyStateAllocatesNothing()
    {
        // The shape of a stream between two threads: the sender rents, the actor's owner returns.
        var pool = new EnvelopePool<PoolProbe>(maximumRetained: 4096);
        const int perRound = 1000;
        const int rounds = 60;
        const int warmUp = 10;
        var inFlight = new Envelope<PoolProbe>[perRound];
        using var rent = new SemaphoreSlim(0);
        using var give = new SemaphoreSlim(0);

        // Each thread counts its own allocations: tests running in parallel allocate too, so the process's total would not do.
        long renterBytes = 0;
        long returnerBytes = 0;
        Exception? failure = null;
        Thread Side(string name, SemaphoreSlim turn, SemaphoreSlim next, Action<int> each, Action<long> allocated) => new(() =>
        {
            try
            {
                long before = 0;
                for (var r = 0; r < rounds; r++)
                {
                    if (!turn.Wait(Wait.Timeout))
                    {
                        throw new TimeoutException(name);
                    }

                    if (r == warmUp)
                    {
                        before = GC.GetAllocatedBytesForCurrentThread();
                    }

                    for (var i = 0; i < perRound; i++)
                    {
                        each(i);
                    }

                    next.Release();
                }

                allocated(GC.GetAllocatedBytesForCurrentThread() - before);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });

        var renter = Side("renter", rent, give, i => inFlight[i] = pool.Rent(new PoolProbe(i)), b => renterBytes = b);
        var returner = Side("returner", give, rent, i => pool.Return(inFlight[i]), b => returnerBytes = b);
        renter.Start();
        returner.Start();
        rent.Release();
        Assert.That(renter.Join(Wait.Timeout) && returner.Join(Wait.Timeout), Is.True, "the two threads finished");
        Assert.That(failure, Is.Null);
        var perEnvelope = (renterBytes + returnerBytes) / (double)(perRound * (rounds - warmUp));
        TestContext.Out.WriteLine($"allocated {perEnvelope:F3} B per envelope");
        Assert.That(perEnvelope, Is.LessThan(0.5), "envelopes and their batches travel back to the renting thread");
    }

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

    private readonly record struct PoolProbe(int Value);
}
