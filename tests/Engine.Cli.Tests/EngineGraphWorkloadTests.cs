using Graph.Engine.Graphs;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads.Registry;

namespace Graph.Cli.Tests;

public class EngineGraphWorkloadTests
{
    private static readonly string[] GraphWorkloads =
    [
        WorkloadNames.Chain1, WorkloadNames.Chain10, WorkloadNames.Chain100, WorkloadNames.Fanout10Join,
        WorkloadNames.MapReduce100, WorkloadNames.Chain10X1000, WorkloadNames.Chain10X1000Callers,
    ];

    private static IEnumerable<TestCaseData> EngineWorkloads() =>
        WorkloadRegistry.All
            .Where(e => e.Engine is not null)
            .Select(e => e.Engine!())
            .Select(w => new TestCaseData(w).SetArgDisplayNames(w.ToString()));

    [Test]
    public void Registry_GraphWorkloads_HaveAnEngineImplementationOfTheirOwnName() =>
        Assert.Multiple(() =>
        {
            foreach (var name in GraphWorkloads)
            {
                var engine = WorkloadRegistry.Find(name)!.Engine;
                Assert.That(engine is not null, name);
                var workload = engine!();
                Assert.That((workload.Name, workload.Implementation, workload.Kind), Is.EqualTo((name, Workload.EngineImplementation, WorkloadRegistry.Find(name)!.Kind)));
            }
        });

    // Every workload checks its result on every run (Check throws on a wrong one), so one clean iteration is a correct one.
    [TestCaseSource(nameof(EngineWorkloads))]
    public async Task RunAsync_OneIteration_CompletesWithTheRightResult(Workload workload)
    {
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

    [TestCase(1)]
    [TestCase(10)]
    [TestCase(100)]
    public async Task Chain_FromZero_EndsWithItsLength(int length)
    {
        await using var graph = EngineGraphs.Chain(length);

        Assert.That(await graph.InvokeAsync(0), Is.EqualTo(length));
    }

    [Test]
    public async Task FanoutJoin_FromZero_SumsTheTenBranchesInThreeSteps()
    {
        await using var graph = EngineGraphs.FanoutJoin();
        var steps = new List<StepFinishedEvent<int>>();
        await foreach (var e in graph.StreamAsync(0))
        {
            if (e is StepFinishedEvent<int> step)
            {
                steps.Add(step);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(steps, Has.Count.EqualTo(3));
            Assert.That(steps[^1].State, Is.EqualTo(10));
            Assert.That(steps[1].Nodes, Has.Count.EqualTo(10));
            Assert.That(steps[2].Nodes, Is.EqualTo(new[] { EngineGraphs.Join }));
        });
    }

    [Test]
    public async Task MapReduce_FromZero_SumsItemTimesTwoThenRunsDone()
    {
        await using var graph = EngineGraphs.MapReduce();
        var steps = new List<StepFinishedEvent<int>>();
        await foreach (var e in graph.StreamAsync(0))
        {
            if (e is StepFinishedEvent<int> step)
            {
                steps.Add(step);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(steps, Has.Count.EqualTo(2));
            Assert.That(steps[0].Nodes, Has.Count.EqualTo(100).And.All.EqualTo(EngineGraphs.Map));
            Assert.That(steps[0].State, Is.EqualTo(9_900));
            Assert.That(steps[1].Nodes, Is.EqualTo(new[] { EngineGraphs.Done }));
            Assert.That(steps[1].State, Is.EqualTo(9_900));
        });
    }

    [Test]
    public async Task MapReduce_UnboundedWorker_GivesTheSameResult()
    {
        await using var graph = EngineGraphs.MapReduce(new NodeOptions { MaxParallelism = NodeOptions.Unbounded });

        Assert.That(await graph.InvokeAsync(0), Is.EqualTo(9_900));
    }
}
