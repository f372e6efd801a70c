using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Tests.Support;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests;

/// <summary>
/// Silos going away under threads, on a three-silo in-process cluster (the first silo holds the test membership table,
/// so the tests stop only threads' silos that are not it).
/// </summary>
[TestFixture]
public sealed class FailoverTests
{
    private TestCluster cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await Clusters.StartAsync(3);

    [OneTimeTearDown]
    public async Task StopCluster() => await cluster.DisposeAsync();

    [Test]
    public async Task ResumeAsync_InterruptedThreadsSiloStopped_FinishesOnAnotherSilo()
    {
        var graph = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Ask);
        var (thread, silo) = await ThreadOffThePrimaryAsync(t => graph.RunAsync(0, new RunOptions { ThreadId = t }));

        await Wait.For(cluster.StopSiloAsync(silo), "the thread's silo stops");
        var result = await Wait.For(graph.ResumeAsync(thread, Resume.With(7)), "the resumed run ends");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(result.State, Is.EqualTo(1007));
            Assert.That(TestGraphs.HostOf(thread), Is.Not.EqualTo(silo.SiloAddress.ToParsableString()));
            Assert.That(TestGraphs.Runs(thread, "done"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_SiloKilledMidStep_RunFinishesOnASurvivorWithoutRerunningCheckpointedNodes()
    {
        var graph = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Gated, new ClusterGraphOptions { PollInterval = TimeSpan.FromSeconds(1) });
        var thread = Guid.NewGuid().ToString("N");
        SiloHandle? host = null;
        Task<GraphRunResult<int>>? run = null;
        for (var attempt = 0; attempt < 20 && host is null; attempt++)
        {
            thread = Guid.NewGuid().ToString("N");
            run = graph.RunAsync(0, new RunOptions { ThreadId = thread });
            await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");
            host = cluster.Silos.Skip(1).FirstOrDefault(s => s.SiloAddress.ToParsableString() == TestGraphs.HostOf(thread));
            if (host is null)
            {
                TestGraphs.GateOf(thread).Release();
                await Wait.For(run, "a run on the primary ends");
            }
        }

        Assert.That(host, Is.Not.Null, "no run was placed off the primary silo in 20 tries");
        await Wait.For(cluster.KillSiloAsync(host!), "the silo is killed");
        var result = await Wait.For(run!, "the run finishes on a survivor");

        Assert.Multiple(() =>
        {
            Assert.That(result.State, Is.EqualTo(111), "the same state as an uninterrupted run");
            Assert.That(TestGraphs.HostOf(thread), Is.Not.EqualTo(host!.SiloAddress.ToParsableString()));
            Assert.That(TestGraphs.Runs(thread, "before"), Is.EqualTo(1), "the checkpointed node did not run again");
            Assert.That(TestGraphs.Runs(thread, "hold"), Is.EqualTo(2), "the node in flight ran again (at least once)");
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task UpdateStateAsync_RetriedOnANewActivation_AppliesOnce()
    {
        var graph = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Ask);
        var thread = Guid.NewGuid().ToString("N");
        await Wait.For(graph.RunAsync(0, new RunOptions { ThreadId = thread }), "the run stops at its interrupt");
        var grain = cluster.Client.GetGrain<IThreadGrain>(thread);
        var callId = "update-" + thread;
        var update = new Wire.WireCodec(Checkpoints.JsonCheckpointSerializer.Default).Encode(5);
        var applied = await Wait.For(grain.UpdateStateAsync(TestGraphs.Ask, callId, update, "ask", null), "the update is applied");

        // The activation that applied it goes away before its answer is acknowledged (as with a silo that dies): the
        // client sends the same call again, and a new activation, which never saw it, answers.
        await Wait.For(cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero), "idle activations are collected");
        var retried = await Wait.For(grain.UpdateStateAsync(TestGraphs.Ask, callId, update, "ask", null), "the retried update is answered");
        var history = await graph.GetStateHistoryAsync(thread);

        Assert.Multiple(() =>
        {
            Assert.That(retried.CheckpointId, Is.EqualTo(applied.CheckpointId), "the retry is answered with the first application");
            Assert.That(history.Count(s => s.Metadata.Source == Checkpoints.CheckpointSource.Update), Is.EqualTo(1), "the update was applied once");
            Assert.That(history[0].Values, Is.EqualTo(5));
        });
    }

    /// <summary>Runs <paramref name="start"/> on new threads until one lands on a silo other than the primary.</summary>
    private async Task<(string Thread, SiloHandle Silo)> ThreadOffThePrimaryAsync(Func<string, Task> start)
    {
        var seen = new List<string?>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var thread = Guid.NewGuid().ToString("N");
            await Wait.For(start(thread), "the run ends");
            seen.Add(TestGraphs.HostOf(thread));
            var silo = cluster.Silos.Skip(1).FirstOrDefault(s => s.SiloAddress.ToParsableString() == TestGraphs.HostOf(thread));
            if (silo is not null)
            {
                return (thread, silo);
            }
        }

        Assert.Fail($"no thread was placed off the primary silo in 20 tries: silos {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress.ToParsableString()))}; hosts {string.Join(", ", seen.Distinct())}");
        return default;
    }
}
