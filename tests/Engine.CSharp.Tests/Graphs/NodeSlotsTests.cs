using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class NodeSlotsTests
{
    [Test]
    public async Task AcquireAsync_NodeFull_ReturnsAPendingWaitThatASlotReleasedCompletes()
    {
        var slots = new NodeSlots(1);
        Assert.That(slots.TryAcquire(out var held), Is.True);
        var returned = NewGate<ValueTask<int>>();

        // Before the fix the pump's own failed retry woke its own signal, so AcquireAsync looped on the calling
        // thread (a new signal each turn) until a slot freed, and never returned while the node stayed full.
        var caller = Task.Run(() => returned.SetResult(slots.AcquireAsync()));
        var waited = NodeSlots.Uncounted;
        try
        {
            var wait = (await returned.Task.Bounded()).AsTask();
            Assert.That(wait.IsCompleted, Is.False);
            slots.Release(held);
            held = NodeSlots.Uncounted;
            waited = await wait.Bounded();
            Assert.That(slots.TryAcquire(out _), Is.False, "the released slot went to the waiter");
        }
        finally
        {
            slots.Release(held);
            slots.Release(waited); // frees a looping caller, if any
            await caller.Bounded();
        }
    }

    [Test]
    public async Task AcquireAsync_AnotherThreadsFailedTryWhileItWaits_StillGetsTheSlotFreedLater()
    {
        var slots = new NodeSlots(1);
        Assert.That(slots.TryAcquire(out var held), Is.True);
        var wait = slots.AcquireAsync().AsTask();
        Assert.That(slots.TryAcquire(out _), Is.False);
        Assert.That(wait.IsCompleted, Is.False);

        slots.Release(held);
        Assert.That(await wait.Bounded(), Is.EqualTo(held), "one stripe: the freed slot is the one taken");
    }

    [TestCase(1, 4)]
    [TestCase(5, 4)]
    [TestCase(7, 2)]
    [TestCase(64, 2)]
    [TestCase(3, 8)]
    public void TryAcquire_OneThread_TakesExactlyTheCapAcrossTheStripes(int cap, int stripes)
    {
        var slots = new NodeSlots(cap, stripes);
        var held = new List<int>();
        for (var i = 0; i < cap; i++)
        {
            Assert.That(slots.TryAcquire(out var stripe), Is.True, $"slot {i + 1} of {cap}: a full stripe lends the next one's room");
            held.Add(stripe);
        }

        Assert.That(slots.TryAcquire(out _), Is.False, "one more than the cap");

        // Each freed slot lets exactly one more in, whichever stripe it was on.
        for (var i = 0; i < held.Count; i++)
        {
            slots.Release(held[i]);
            Assert.That(slots.TryAcquire(out var again), Is.True);
            Assert.That(slots.TryAcquire(out _), Is.False);
            held[i] = again;
        }
    }

    [Test]
    public async Task TryAcquire_ThreadsOnEveryStripe_NeverHoldMoreThanTheCap()
    {
        const int cap = 3;
        const int threads = 4;
        const int rounds = 20_000;
        var slots = new NodeSlots(cap, stripeCount: 2);
        var holding = 0;
        var most = 0;
        var taken = 0;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                for (var i = 0; i < rounds; i++)
                {
                    if (!slots.TryAcquire(out var stripe))
                    {
                        continue;
                    }

                    var now = Interlocked.Increment(ref holding);
                    Support.Peak.Raise(ref most, now);
                    Interlocked.Increment(ref taken);
                    Thread.SpinWait(20);
                    Interlocked.Decrement(ref holding);
                    slots.Release(stripe);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Multiple(() =>
        {
            Assert.That(most, Is.LessThanOrEqualTo(cap), "the cap is exact across stripes");
            Assert.That(taken, Is.GreaterThan(0));
        });

        // Every slot came back: the cap can be taken whole again.
        for (var i = 0; i < cap; i++)
        {
            Assert.That(slots.TryAcquire(out _), Is.True);
        }

        Assert.That(slots.TryAcquire(out _), Is.False);
    }

    [Test]
    public async Task AcquireAsync_SlotFreedOnAnotherStripe_WakesThePump()
    {
        var slots = new NodeSlots(2, stripeCount: 2);
        Assert.That(slots.TryAcquire(out var first), Is.True);
        Assert.That(slots.TryAcquire(out var second), Is.True);
        Assert.That(second, Is.Not.EqualTo(first), "two stripes of one slot each");

        var wait = slots.AcquireAsync().AsTask();
        Assert.That(wait.IsCompleted, Is.False);
        slots.Release(second);
        Assert.That(await wait.Bounded(), Is.EqualTo(second));
        slots.Release(first);
        Assert.That(slots.TryAcquire(out _), Is.True);
    }

    [Test]
    public async Task AcquireAsync_ReleaseRacingTheRegistration_NeverLosesTheWake()
    {
        // The pump registers, then retries by reading full stripes without an interlocked operation; a releaser
        // decrements, then reads the waiter. A lost wake would leave the pump waiting with a slot free: the bounded
        // wait fails the test instead of hanging.
        using var start = new Barrier(2);
        for (var i = 0; i < 2_000; i++)
        {
            var slots = new NodeSlots(2, stripeCount: 2);
            Assert.That(slots.TryAcquire(out var first), Is.True);
            Assert.That(slots.TryAcquire(out var second), Is.True);
            var pump = Task.Run(async () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                return await slots.AcquireAsync();
            });
            var releaser = Task.Run(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                slots.Release(i % 2 == 0 ? first : second);
            });

            await releaser.Bounded();
            var taken = await pump.Bounded();
            Assert.That(slots.TryAcquire(out _), Is.False, $"round {i}: the freed slot went to the pump");
            slots.Release(taken);
        }
    }

    [Test]
    public void TryAcquire_Unbounded_CountsNothing()
    {
        var slots = new NodeSlots(int.MaxValue);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.That(slots.TryAcquire(out var stripe), Is.True);
            Assert.That(stripe, Is.EqualTo(NodeSlots.Uncounted));
        }

        Assert.DoesNotThrow(() => slots.Release(NodeSlots.Uncounted));
    }

    [Test]
    public void Constructor_DefaultStripes_KeepAQuotaOfAtLeastFour()
    {
        // A cap of 4 is one stripe whatever the cores: four takes on this thread, all from stripe 0, then a refusal.
        var slots = new NodeSlots(4);
        for (var i = 0; i < 4; i++)
        {
            Assert.That(slots.TryAcquire(out var stripe), Is.True);
            Assert.That(stripe, Is.Zero, "one stripe");
        }

        Assert.That(slots.TryAcquire(out _), Is.False);
    }

    [TestCase(64, 2, 2)]
    [TestCase(64, 3, 4)]
    [TestCase(3, 8, 2)]
    [TestCase(1, 8, 1)]
    [TestCase(int.MaxValue, 1, 1)]
    public void CountFor_RoundsTheWantedUpToAPowerOfTwoAndKeepsAQuotaOfOne(int max, int wanted, int expected) =>
        Assert.That(CoreStripe.CountFor(max, wanted), Is.EqualTo(expected));
}
