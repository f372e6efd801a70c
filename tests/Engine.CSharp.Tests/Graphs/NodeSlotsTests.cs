using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class NodeSlotsTests
{
    [Test]
    public async Task AcquireAsync_NodeFull_ReturnsAPendingWaitThatASlotReleasedCompletes()
    {
        var slots = new NodeSlots(1);
        Assert.That(slots.TryAcquire(), Is.True);
        var returned = NewGate<ValueTask>();

        // Before the fix the pump's own failed retry woke its own signal, so AcquireAsync looped on the calling
        // thread (a new signal each turn) until a slot freed, and never returned while the node stayed full.
        var caller = Task.Run(() => returned.SetResult(slots.AcquireAsync()));
        try
        {
            var wait = (await returned.Task.Bounded()).AsTask();
            Assert.That(wait.IsCompleted, Is.False);
            slots.Release();
            await wait.Bounded();
            Assert.That(slots.TryAcquire(), Is.False, "the released slot went to the waiter");
        }
        finally
        {
            slots.Release(); // frees a looping caller, if any
            await caller.Bounded();
        }
    }

    [Test]
    public async Task AcquireAsync_AnotherThreadsFailedTryWhileItWaits_StillGetsTheSlotFreedLater()
    {
        var slots = new NodeSlots(1);
        Assert.That(slots.TryAcquire(), Is.True);
        var wait = slots.AcquireAsync().AsTask();
        Assert.That(slots.TryAcquire(), Is.False);
        Assert.That(wait.IsCompleted, Is.False);

        slots.Release();
        await wait.Bounded();
    }
}
