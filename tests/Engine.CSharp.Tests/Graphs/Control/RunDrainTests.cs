using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Control;

public class RunDrainTests
{
    [Test]
    public async Task Begin_RunsLiveOnSeveralCores_CompletesWhenTheLastLeaves()
    {
        var drain = new RunDrain();

        // Enter on two threads that are likely on different cores; each run leaves the stripe it entered.
        var stripes = await Task.WhenAll(
            Task.Factory.StartNew(drain.Enter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Factory.StartNew(drain.Enter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.FromResult(drain.Enter())).Bounded();

        var idle = drain.Begin();
        Assert.That(drain.IsDraining, Is.True);
        drain.Exit(stripes[2]);
        drain.Exit(stripes[0]);
        Assert.That(idle.IsCompleted, Is.False, "one run is still live");
        drain.Exit(stripes[1]);
        await idle.Bounded();
    }

    [Test]
    public async Task Begin_NoRunLive_CompletesAtOnce()
    {
        var drain = new RunDrain();
        drain.Exit(drain.Enter());
        await drain.Begin().Bounded();
    }

    [Test]
    public async Task Exit_ManyThreadsEnteringAndLeaving_CompletesOnlyAfterTheRunHeldThroughout()
    {
        var drain = new RunDrain();
        var held = drain.Enter();
        using var start = new Barrier(3);
        var churn = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                for (var i = 0; i < 50_000; i++)
                {
                    drain.Exit(drain.Enter());
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        start.SignalAndWait(TimeSpan.FromSeconds(10));
        var idle = drain.Begin();
        await Task.WhenAll(churn).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(idle.IsCompleted, Is.False, "the held run was counted through every exit of the others");
        drain.Exit(held);
        await idle.Bounded();
    }
}
