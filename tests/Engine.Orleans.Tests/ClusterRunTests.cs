using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests;

/// <summary>Runs, fences and double texting on a two-silo in-process cluster.</summary>
[TestFixture]
public sealed class ClusterRunTests
{
    private TestCluster cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await Clusters.StartAsync(2);

    [OneTimeTearDown]
    public async Task StopCluster() => await cluster.DisposeAsync();

    private ClusterGraph<int, int> Graph(string name, DoubleTexting policy = DoubleTexting.Reject) =>
        new(cluster.Client, name, new ClusterGraphOptions { DoubleTexting = policy });

    private static string NewThread() => Guid.NewGuid().ToString("N");

    [Test]
    public async Task RunAsync_Chain_SameStateAndHistoryAsInProcess()
    {
        var thread = NewThread();
        var result = await Wait.For(Graph(TestGraphs.Chain).RunAsync(7, new RunOptions { ThreadId = thread }), "the cluster run ends");

        await using var local = TestGraphs.BuildChain("local");
        var localThread = NewThread();
        var expected = await local.RunAsync(7, new RunOptions { ThreadId = localThread });
        var history = await Graph(TestGraphs.Chain).GetStateHistoryAsync(thread);
        var localHistory = await local.GetStateHistoryAsync(localThread);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(result.State, Is.EqualTo(expected.State).And.EqualTo(22));
            Assert.That(result.ThreadId, Is.EqualTo(thread));
            Assert.That(history.Select(s => (s.Step, s.Values, string.Join(",", s.Next))), Is.EqualTo(localHistory.Select(s => (s.Step, s.Values, string.Join(",", s.Next)))));
            Assert.That(Enumerable.Range(1, TestGraphs.ChainLength).Select(k => TestGraphs.Runs(thread, "n" + k)), Is.All.EqualTo(1));
        });
    }

    [Test]
    public async Task InvokeAsync_NoThreadId_RunsOnANewThread()
    {
        var state = await Wait.For(Graph(TestGraphs.Chain).InvokeAsync(0), "the run ends");
        Assert.That(state, Is.EqualTo(15));
    }

    [Test]
    public async Task RunAsync_StoreErrorOnTheSilo_ReachesTheClientWithItsMessage()
    {
        var failure = await Assert.CatchAsync(() => Wait.For(Graph(TestGraphs.Failing).RunAsync(0, new RunOptions { ThreadId = NewThread() }), "the failing run ends"));

        var chain = new List<Exception>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        Assert.That(chain.Select(e => e.GetType().Name + ": " + e.Message), Has.Some.Contains("PostgresException").And.Some.Contains("too many clients"));
    }

    [Test]
    public async Task GetStateAsync_AfterABranchFailed_CarriesTheFailedTaskAcrossTheCluster()
    {
        var thread = NewThread();
        var graph = Graph(TestGraphs.Split);
        Assert.That(async () => await Wait.For(graph.RunAsync(0, new RunOptions { ThreadId = thread }), "the split run ends"), Throws.Exception);

        var snapshot = await Wait.For(graph.GetStateAsync(thread), "the snapshot");

        Assert.That(snapshot!.Values, Is.EqualTo(1), "the sibling's write is folded in");
        Assert.That(snapshot.Next, Is.EqualTo(new[] { "bad" }));
        Assert.That(snapshot.Errors.Select(e => e.Node), Is.EqualTo(new[] { "bad" }));
        Assert.That(snapshot.Errors.Single().Error, Does.Contain("bad branch"));
    }

    [Test]
    public async Task RunAsync_SameCallIdDeliveredTwice_RunsEveryNodeOnce()
    {
        var thread = NewThread();
        var call = new ClusterCallOptions { CallId = "call-" + thread };
        var options = new RunOptions { ThreadId = thread };
        var first = await Wait.For(Graph(TestGraphs.Chain).RunAsync(0, options, call), "the first delivery ends");
        var again = await Wait.For(Graph(TestGraphs.Chain).RunAsync(0, options, call), "the second delivery ends");
        var history = await Graph(TestGraphs.Chain).GetStateHistoryAsync(thread);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first) .Using<GraphRunResult<int>>((a, b) => a.State == b.State && a.CheckpointId == b.CheckpointId));
            Assert.That(Enumerable.Range(1, TestGraphs.ChainLength).Select(k => TestGraphs.Runs(thread, "n" + k)), Is.All.EqualTo(1));
            Assert.That(history.Select(s => s.Metadata.Properties["run_id"]), Is.All.EqualTo(call.CallId));
        });
    }

    [Test]
    public async Task RunAsync_SameCallIdWhileInFlight_JoinsTheRunningCall()
    {
        var thread = NewThread();
        var call = new ClusterCallOptions { CallId = "call-" + thread };
        var options = new RunOptions { ThreadId = thread };
        var first = Graph(TestGraphs.Gated).RunAsync(0, options, call);
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");
        var retried = Graph(TestGraphs.Gated).RunAsync(0, options, call);
        TestGraphs.GateOf(thread).Release();

        var results = await Wait.For(Task.WhenAll(first, retried), "both deliveries end");
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.State), Is.All.EqualTo(111));
            Assert.That(new[] { "before", "hold", "after" }.Select(n => TestGraphs.Runs(thread, n)), Is.All.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_StaleCheckpointFence_ThrowsAndRunsNothing()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var first = await Wait.For(Graph(TestGraphs.Chain).RunAsync(0, options), "the first run ends");

        var stale = Graph(TestGraphs.Chain).RunAsync(0, options, new ClusterCallOptions { ExpectedCheckpointId = first.CheckpointId!.Value - 1 });
        var e = await Assert.ThrowsAsync<ThreadFenceException>(() => Wait.For(stale, "the fenced call is refused"));
        var fresh = await Wait.For(
            Graph(TestGraphs.Chain).RunAsync(0, options, new ClusterCallOptions { ExpectedCheckpointId = first.CheckpointId }), "the fenced run ends");

        Assert.Multiple(() =>
        {
            Assert.That(e!.Actual, Is.EqualTo(first.CheckpointId));
            Assert.That(e.Message, Does.Contain(thread));
            Assert.That(fresh.State, Is.EqualTo(15));
            Assert.That(TestGraphs.Runs(thread, "n1"), Is.EqualTo(2), "the refused call ran nothing; the second ran once");
        });
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderReject_ThrowsAndTheRunningRunFinishes()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var running = Graph(TestGraphs.Gated).RunAsync(0, options);
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");

        var e = await Assert.ThrowsAsync<ThreadBusyException>(() => Wait.For(Graph(TestGraphs.Gated).RunAsync(0, options), "the second run is refused"));
        TestGraphs.GateOf(thread).Release();
        var result = await Wait.For(running, "the first run ends");

        Assert.Multiple(() =>
        {
            Assert.That(e!.ThreadId, Is.EqualTo(thread));
            Assert.That(result.State, Is.EqualTo(111));
            Assert.That(TestGraphs.Runs(thread, "before"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderEnqueue_RunsAfterTheRunningRun()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var running = Graph(TestGraphs.Gated).RunAsync(0, options);
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");

        var queued = Graph(TestGraphs.Gated, DoubleTexting.Enqueue).RunAsync(5, options);
        TestGraphs.GateOf(thread).Release();
        var first = await Wait.For(running, "the first run ends");
        var second = await Wait.For(queued, "the queued run ends");

        Assert.Multiple(() =>
        {
            Assert.That(first.State, Is.EqualTo(111));
            Assert.That(second.State, Is.EqualTo(116));
            Assert.That(second.CheckpointId, Is.GreaterThan(first.CheckpointId!.Value));
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderInterrupt_CancelsTheRunningRunAndRuns()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var running = Graph(TestGraphs.Gated).RunAsync(0, options);
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");

        var second = await Wait.For(Graph(TestGraphs.Gated, DoubleTexting.Interrupt).RunAsync(5, options), "the interrupting run ends");

        await Assert.CatchAsync<OperationCanceledException>(() => Wait.For(running, "the interrupted run ends"));
        Assert.Multiple(() =>
        {
            Assert.That(second.State, Is.EqualTo(116));
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(1), "only the second run got past the gate");
        });
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderRollback_DeletesWhatTheRunningRunWroteAndRuns()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var kept = await Wait.For(Graph(TestGraphs.Gated).RunAsync(0, options with { InterruptBefore = ["before"] }), "a first run stops at once");
        var before = await Graph(TestGraphs.Gated).GetStateHistoryAsync(thread);
        var doomed = "doomed-" + thread;
        var running = Graph(TestGraphs.Gated).RunAsync(0, options, new ClusterCallOptions { CallId = doomed });
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the second run holds at the gate");
        var written = await Graph(TestGraphs.Gated).GetStateHistoryAsync(thread);
        Assert.That(written.Select(RunId), Has.Some.EqualTo(doomed), "the run to roll back has written a checkpoint");

        var second = await Wait.For(Graph(TestGraphs.Gated, DoubleTexting.Rollback).RunAsync(5, options), "the rolling-back run ends");

        await Assert.CatchAsync<OperationCanceledException>(() => Wait.For(running, "the rolled-back run ends"));
        var history = await Graph(TestGraphs.Gated).GetStateHistoryAsync(thread);
        Assert.Multiple(() =>
        {
            Assert.That(history.Select(RunId), Has.None.EqualTo(doomed), "the rolled-back run left no checkpoint");
            Assert.That(kept.IsInterrupted && before.Count > 0, Is.True, "the first run left a history");
            Assert.That(history.TakeLast(before.Count).Select(s => s.CheckpointId), Is.EqualTo(before.Select(s => s.CheckpointId)), "the earlier history is kept");
            Assert.That(second.State, Is.EqualTo(116));
        });
    }

    [Test]
    public async Task RunAsync_TwoClientsRaceOnANewThread_ExactlyOneRuns()
    {
        var thread = NewThread();
        var options = new RunOptions { ThreadId = thread };
        var fence = new ClusterCallOptions { ExpectedCheckpointId = 0 };
        var clientA = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Gated);
        var clientB = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Gated, new ClusterGraphOptions { DoubleTexting = DoubleTexting.Enqueue });
        var a = clientA.RunAsync(0, options, fence with { CallId = "a-" + thread });
        var b = clientB.RunAsync(1000, options, fence with { CallId = "b-" + thread });
        await Wait.For(TestGraphs.GateOf(thread).Entered, "one run holds at the gate");
        TestGraphs.GateOf(thread).Release();

        var outcomes = await Wait.For(Task.WhenAll(Outcome(a), Outcome(b)), "both calls end");
        var history = await clientA.GetStateHistoryAsync(thread);
        var winner = outcomes.Single(o => o is not null && o.StartsWith("ok", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(o => o!.StartsWith("refused", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("; ", outcomes));
            Assert.That(history.Select(s => s.Metadata.Properties["run_id"]).Distinct().Count(), Is.EqualTo(1), "one run wrote the thread");
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(1), winner);
        });
    }

    [Test]
    public async Task UpdateAndFork_ThroughTheCluster_ActOnTheThread()
    {
        var thread = NewThread();
        var graph = Graph(TestGraphs.Ask);
        var interrupted = await Wait.For(graph.RunAsync(0, new RunOptions { ThreadId = thread }), "the run interrupts");
        var updated = await Wait.For(graph.UpdateStateAsync(thread, 5, "ask"), "the update is applied");
        var forked = await Wait.For(graph.ForkAsync(thread, interrupted.CheckpointId!.Value), "the fork is made");
        var state = await graph.GetStateAsync(thread);

        Assert.Multiple(() =>
        {
            Assert.That(interrupted.IsInterrupted, Is.True);
            Assert.That(interrupted.Interrupts.Single().Value, Is.EqualTo("how much?"));
            Assert.That(updated.Values, Is.EqualTo(5));
            Assert.That(forked.Values, Is.EqualTo(0));
            Assert.That(state!.CheckpointId, Is.EqualTo(forked.CheckpointId));
        });
    }

    [Test]
    public async Task RunAsync_UnknownGraph_FailsNamingIt()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Wait.For(Graph("nope").RunAsync(0), "the call is refused"));
        Assert.That(e!.Message, Does.Contain("'nope'").And.Contain("AddGraph"));
    }

    private static string? RunId(StateSnapshot<int> snapshot) => snapshot.Metadata.Properties.GetValueOrDefault("run_id");

    private static async Task<string?> Outcome(Task<GraphRunResult<int>> call)
    {
        try
        {
            return "ok " + (await call).State;
        }
        catch (Exception e) when (e is ThreadBusyException or ThreadFenceException)
        {
            return "refused " + e.GetType().Name;
        }
    }
}
