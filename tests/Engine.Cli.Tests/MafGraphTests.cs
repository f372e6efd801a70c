using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Peers;
using Graph.Engine.Workloads.Registry;

namespace Graph.Cli.Tests;

public class MafGraphTests
{
    private static readonly string[] MafWorkloads =
        [WorkloadNames.Chain10, WorkloadNames.Fanout10Join, WorkloadNames.MapReduce100, WorkloadNames.Chain10X1000, WorkloadNames.Chain10X1000Callers];

    // MafGraph checks every run's output (Check throws on a wrong one), so one clean iteration is a correct one.
    [TestCaseSource(nameof(MafWorkloads))]
    public async Task RunAsync_OneIteration_CompletesWithTheRightOutput(string name)
    {
        var workload = new MafGraph(name);
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

    [Test]
    public void Registry_MafWorkloads_AreBaselinesOfTheirOwnName() =>
        Assert.Multiple(() =>
        {
            foreach (var name in MafWorkloads)
            {
                var maf = WorkloadRegistry.Find(name)!.Baselines.Select(b => b()).Where(b => b.Implementation == PeerNames.MafWorkflows).ToList();
                Assert.That(maf, Has.Count.EqualTo(1), name);
                Assert.That(maf[0].Name, Is.EqualTo(name));
            }
        });

    [Test]
    public void SetupAsync_WorkloadWithoutAMafVersion_ThrowsNamingIt()
    {
        var workload = new MafGraph(WorkloadNames.Chain100);

        Assert.That(() => workload.SetupAsync(CancellationToken.None), Throws.ArgumentException.With.Message.Contains("chain100"));
    }
}
