using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;
using TestGraphs = Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Durability;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class SupervisedRunTests(StoreKind kind) : StoreFixture(kind)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(3);

    private readonly bool sqlite = kind == StoreKind.Sqlite;
    private ConcurrentDictionary<string, int> runs = null!;
    private FakeClock clock = null!;
    private int failuresLeft;

    [SetUp]
    public void Reset()
    {
        runs = new();
        clock = new();
        failuresLeft = 0;
    }

    [Test]
    public async Task RunSupervisedAsync_FailsTwiceThenSucceeds_RestartsFromTheCheckpointWithoutRerunningFinishedNodes()
    {
        failuresLeft = 2;
        await using var compiled = Chain().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 3, RestartDelay = RestartDelay.Exponential(First, TimeSpan.FromMinutes(1), jitter: 0) };

        var run = compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, supervision);
        await clock.WhenArmed(First);
        Assert.That((runs["a"], runs["flaky"]), Is.EqualTo((1, 1)), "no restart before its delay");
        clock.Advance(First);
        await clock.WhenArmed(First * 2);
        clock.Advance(First * 2);
        var result = await run.Bounded();

        var history = await compiled.GetStateHistoryAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(result.State, Is.EqualTo(new[] { "a", "flaky", "c" }));
            Assert.That(runs.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)), Is.EqualTo(new[] { ("a", 1), ("c", 1), ("flaky", 3) }));
            Assert.That(history.Select(h => h.Step), Is.EqualTo(new[] { 3, 2, 1, 0 }), "one chain of checkpoints: each restart resumed the last one");
        });
    }

    [Test]
    public async Task RunSupervisedAsync_KeepsFailing_EndsInterruptedAfterExactlyMaxRestartsAndCanBeFixedAndResumed()
    {
        failuresLeft = int.MaxValue;
        await using var compiled = Chain().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 2, RestartDelay = RestartDelay.Fixed(First) };

        var run = compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, supervision);
        for (var i = 0; i < 2; i++)
        {
            await clock.WhenArmed(First);
            clock.Advance(First);
        }

        var result = await run.Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();

        var failure = new RunFailure("flaky", 2, snapshot!.Interrupts.Single().TaskId, "System.InvalidOperationException: boom", 2);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Interrupted));
            Assert.That(runs["flaky"], Is.EqualTo(3), "the first run and exactly MaxRestarts restarts");
            Assert.That(result.Interrupts.Single().Value, Is.EqualTo(failure));
            Assert.That(snapshot.Interrupts.Single().Value, Is.EqualTo(failure), "read back from the store");
            Assert.That(snapshot.Interrupts.Single().Node, Is.EqualTo("flaky"));
            Assert.That(snapshot.Next, Is.EqualTo(new[] { "flaky" }));
        });

        // A person fixes the thread as if "flaky" had written its update, and resumes: flaky does not run again.
        await compiled.UpdateStateAsync("t", ["fixed"], "flaky").Bounded();
        var resumed = await compiled.ResumeSupervisedAsync("t", supervision: supervision).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(resumed.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(resumed.State, Is.EqualTo(new[] { "a", "fixed", "c" }));
            Assert.That(runs["flaky"], Is.EqualTo(3));
        });
    }

    [Test]
    public async Task ResumeSupervisedAsync_EscalatedThreadAfterTheCauseIsGone_RunsTheFailedTaskAgainAtOnce()
    {
        failuresLeft = 1;
        await using var compiled = Chain().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 0, RestartDelay = RestartDelay.Fixed(First) };
        var interrupted = await compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, supervision).Bounded();

        var resumed = await compiled.ResumeSupervisedAsync("t", supervision: supervision).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(interrupted.Interrupts.Single().Value, Is.TypeOf<RunFailure>().With.Property(nameof(RunFailure.Restarts)).EqualTo(0));
            Assert.That(resumed.State, Is.EqualTo(new[] { "a", "flaky", "c" }));
            Assert.That(runs["flaky"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ResumeSupervisedAsync_UnfinishedThreadInANewGraph_ReloadsAfterTheFirstDelayAndCountsAsARestart()
    {
        failuresLeft = 1;
        await using (var crashed = Chain().Compile(Options()))
        {
            await Assert.ThrowsAsync<NodeFailedException>(async () => await crashed.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded());
        }

        // The "new process": a fresh graph on a fresh handle of the same store.
        await using var reopened = sqlite ? SqliteCheckpointer.Open(TestStore.FilePath) : null;
        var store = (ICheckpointer?)reopened ?? TestStore.Store;
        failuresLeft = 1;
        await using var reloaded = Chain().Compile(new GraphCompileOptions { Checkpointer = store, TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 1, RestartDelay = RestartDelay.Fixed(First) };

        var run = reloaded.ResumeSupervisedAsync("t", supervision: supervision);
        await clock.WhenArmed(First);
        Assert.That(runs["flaky"], Is.EqualTo(1), "the reload waits its delay");
        clock.Advance(First);
        var result = await run.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(runs["a"], Is.EqualTo(1));
            Assert.That(runs["flaky"], Is.EqualTo(2));
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Interrupted), "the reload used the one restart allowed");
            Assert.That(result.Interrupts.Single().Value, Is.TypeOf<RunFailure>().With.Property(nameof(RunFailure.Restarts)).EqualTo(1));
        });
    }

    [Test]
    public async Task RunSupervisedAsync_OnExhaustedFail_ThrowsTheLastNodeFailure()
    {
        failuresLeft = int.MaxValue;
        await using var compiled = Chain().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 0, OnExhausted = RunExhaustedAction.Fail };

        var failure = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, supervision).Bounded());

        var snapshot = await compiled.GetStateAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Node, Is.EqualTo("flaky"));
            Assert.That(snapshot!.Interrupts, Is.Empty);
            Assert.That(snapshot.Next, Is.EqualTo(new[] { "flaky" }), "the thread stays resumable");
        });
    }

    [Test]
    public async Task RunSupervisedAsync_CancelledDuringARestartDelay_EndsCancelledAndLeavesTheThreadResumable()
    {
        failuresLeft = int.MaxValue;
        await using var compiled = Chain().Compile(Options() with { TimeProvider = clock });
        using var cts = new CancellationTokenSource();
        var supervision = new RunSupervision { RestartDelay = RestartDelay.Fixed(First) };

        var run = compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, supervision, cts.Token);
        await clock.WhenArmed(First);
        await cts.CancelAsync();

        Assert.That(async () => await run.Bounded(), Throws.InstanceOf<OperationCanceledException>());
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(runs["flaky"], Is.EqualTo(1), "no restart after the cancel");
            Assert.That(snapshot!.Next, Is.EqualTo(new[] { "flaky" }));
            Assert.That(snapshot.Interrupts, Is.Empty);
        });
    }

    [Test]
    public async Task RunSupervisedAsync_BadArguments_ThrowNamingTheProblem()
    {
        await using var compiled = Chain().Compile(Options());
        await using var unsaved = Chain().Compile();

        Assert.Multiple(() =>
        {
            Assert.That(() => compiled.RunSupervisedAsync([], new RunOptions()), Throws.InvalidOperationException.With.Message.Contains("RunOptions.ThreadId"));
            Assert.That(() => unsaved.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }), Throws.InvalidOperationException.With.Message.Contains("Checkpointer"));
            Assert.That(() => compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, new RunSupervision { MaxRestarts = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxRestarts"));
            Assert.That(() => compiled.RunSupervisedAsync([], new RunOptions { ThreadId = "t" }, new RunSupervision { Period = TimeSpan.Zero }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Period"));
        });
    }

    /// <summary>START -> a -> flaky (fails while <see cref="failuresLeft"/> > 0) -> c -> END; every node counts its runs.</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Chain() => TestGraphs.Trace()
        .AddNode("a", s => Count("a"))
        .AddNode("flaky", s =>
        {
            Count("flaky");
            return Interlocked.Decrement(ref failuresLeft) >= 0 ? throw new InvalidOperationException("boom") : TestGraphs.Log("flaky");
        })
        .AddNode("c", s => Count("c"))
        .AddEdge(StateGraph.Start, "a").AddEdge("a", "flaky").AddEdge("flaky", "c").AddEdge("c", StateGraph.End);

    private IReadOnlyList<string> Count(string node)
    {
        runs.AddOrUpdate(node, 1, (_, n) => n + 1);
        return TestGraphs.Log(node);
    }
}
