using System.Collections.Concurrent;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Measuring;
using Graph.Engine.Workloads.Registry;

namespace Graph.Cli.Tests;

public class ConcurrentRoundsTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public async Task RunAsync_AnyCallers_StartsEveryRunOncePerRoundInContiguousShares(int callers)
    {
        const int runs = 1_000;
        const int iterations = 5;
        var started = new int[runs];
        var shares = new ConcurrentDictionary<(int From, int To), int>();
        await ConcurrentRounds.RunAsync(iterations, runs, callers, (from, to) =>
        {
            shares.AddOrUpdate((from, to), 1, static (_, n) => n + 1);
            for (var r = from; r < to; r++)
            {
                Interlocked.Increment(ref started[r]);
            }

            return ValueTask.CompletedTask;
        }).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(started, Is.All.EqualTo(iterations), "every run of every round, once");
            Assert.That(shares.Keys, Has.Count.EqualTo(callers), "one share per caller");
            Assert.That(shares.Values, Is.All.EqualTo(iterations), "each caller runs every round of its share");
            Assert.That(shares.Keys.Sum(s => s.To - s.From), Is.EqualTo(runs), "the shares cover the runs without overlap");
        });
    }

    [Test]
    public async Task RunAsync_SeveralCallers_RunTheirRoundsSideBySide()
    {
        // Both callers must be inside a round at once: each waits (bounded) for the other before it returns.
        using var bothInside = new Barrier(2);
        var met = 0;
        await ConcurrentRounds.RunAsync(1, 2, 2, (_, _) =>
        {
            if (bothInside.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                Interlocked.Increment(ref met);
            }

            return ValueTask.CompletedTask;
        }).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.That(met, Is.EqualTo(2), "the callers are not one after the other");
    }

    // Every baseline checks its result on every run (Check throws on a wrong one), so one clean iteration is a correct one.
    [Test]
    public async Task Chain10X1000Callers_EveryBaseline_RunsOneIterationRight()
    {
        foreach (var create in WorkloadRegistry.Find(WorkloadNames.Chain10X1000Callers)!.Baselines)
        {
            var workload = create();
            Assert.That(workload.Name, Is.EqualTo(WorkloadNames.Chain10X1000Callers), workload.ToString());
            await workload.SetupAsync(CancellationToken.None);
            try
            {
                await workload.RunAsync(1, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
            }
            finally
            {
                await workload.TeardownAsync();
            }
        }
    }
}
