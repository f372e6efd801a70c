using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;
using TestGraphs = Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Durability;

/// <summary>A supervised run whose step fails under <see cref="BranchFailurePolicy.ContinueOthers"/> is restarted like a node failure.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class SupervisedStepFailureTests(StoreKind kind) : StoreFixture(kind)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(3);
    private static readonly RunOptions Thread = new() { ThreadId = "t" };

    private ConcurrentDictionary<string, int> runs = null!;
    private ConcurrentDictionary<string, int> failuresLeft = null!;
    private FakeClock clock = null!;

    [SetUp]
    public void Reset()
    {
        runs = new();
        failuresLeft = new();
        clock = new();
    }

    [Test]
    public async Task RunSupervisedAsync_StepFailsTwiceThenSucceeds_RestartsRerunningOnlyTheFailedBranch()
    {
        failuresLeft["b"] = 2;
        await using var compiled = FanOut().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 3, RestartDelay = RestartDelay.Exponential(First, TimeSpan.FromMinutes(1), jitter: 0) };

        var run = compiled.RunSupervisedAsync([], Thread, supervision);
        await clock.WhenArmed(First);
        Assert.That(runs["b"], Is.EqualTo(1), "no restart before its delay");
        clock.Advance(First);
        await clock.WhenArmed(First * 2);
        clock.Advance(First * 2);
        var result = await run.Bounded();

        var history = await compiled.GetStateHistoryAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(result.State, Is.EqualTo(new[] { "a", "b", "c", "d saw [a, b, c]" }));
            Assert.That(Runs(), Is.EqualTo(new[] { ("a", 1), ("b", 3), ("c", 1) }), "the siblings' writes were kept across both restarts");
            Assert.That(history.Select(h => h.Step), Is.EqualTo(new[] { 2, 1, 0 }), "each restart resumed the step that failed");
        });
    }

    [Test]
    public async Task RunSupervisedAsync_TwoBranchesKeepFailing_EndsWithARunFailurePerFailedTaskThenResumesThem()
    {
        failuresLeft["a"] = int.MaxValue;
        failuresLeft["c"] = int.MaxValue;
        await using var compiled = FanOut().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 1, RestartDelay = RestartDelay.Fixed(First) };

        var run = compiled.RunSupervisedAsync([], Thread, supervision);
        await clock.WhenArmed(First);
        clock.Advance(First);
        var result = await run.Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Interrupted));
            Assert.That(
                result.Interrupts.Select(i => (RunFailure)i.Value!).Select(f => (f.Node, f.Step, f.TaskId, f.Error, f.Restarts)),
                Is.EqualTo(new[] { ("a", 1, "1:0:a", "System.InvalidOperationException: a broke", 1), ("c", 1, "1:2:c", "System.InvalidOperationException: c broke", 1) }));
            Assert.That(snapshot!.Interrupts.Select(i => (i.Id, i.Value)), Is.EqualTo(result.Interrupts.Select(i => (i.Id, i.Value))), "read back from the store");
            Assert.That(Runs(), Is.EqualTo(new[] { ("a", 2), ("b", 1), ("c", 2) }), "the first run and the one restart; b finished in the first");
        });

        failuresLeft.Clear();
        var resumed = await compiled.ResumeSupervisedAsync("t", supervision: supervision).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(resumed.Status, Is.EqualTo(GraphRunStatus.Completed));
            Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b", "c", "d saw [a, b, c]" }));
            Assert.That(Runs(), Is.EqualTo(new[] { ("a", 3), ("b", 1), ("c", 3) }));
        });
    }

    [Test]
    public async Task RunSupervisedAsync_OnExhaustedFail_ThrowsTheStepFailureAndLeavesTheThreadResumable()
    {
        failuresLeft["b"] = int.MaxValue;
        await using var compiled = FanOut().Compile(Options() with { TimeProvider = clock });
        var supervision = new RunSupervision { MaxRestarts = 0, OnExhausted = RunExhaustedAction.Fail };

        var failure = await Assert.ThrowsAsync<StepFailedException>(async () => await compiled.RunSupervisedAsync([], Thread, supervision).Bounded());

        var latest = await TestStore.Store.GetAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Failures.Select(f => f.Node), Is.EqualTo(new[] { "b" }));
            Assert.That(latest!.Id, Is.EqualTo(1), "the failed step was not applied");
            Assert.That(
                latest.PendingWrites.Select(w => (w.Node, w.Kind)).OrderBy(w => w.Node),
                Is.EqualTo(new[] { ("a", PendingWriteKind.Update), ("b", PendingWriteKind.Error), ("c", PendingWriteKind.Update) }),
                "no interrupt: the thread is resumable as after an unsupervised failure");
        });
    }

    /// <summary>START -> a, b, c in parallel (ContinueOthers); join [a, b, c] -> d. A branch fails while its <see cref="failuresLeft"/> is positive.</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> FanOut() => TestGraphs.Trace()
        .AddNode("a", s => Branch("a"))
        .AddNode("b", s => Branch("b"))
        .AddNode("c", s => Branch("c"))
        .AddNode("d", s => TestGraphs.Log($"d saw [{string.Join(", ", s)}]"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge(StateGraph.Start, "b")
        .AddEdge(StateGraph.Start, "c")
        .AddJoin(["a", "b", "c"], "d")
        .AddEdge("d", StateGraph.End)
        .SetBranchFailures(BranchFailurePolicy.ContinueOthers);

    private IReadOnlyList<string> Branch(string name)
    {
        runs.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (!failuresLeft.TryGetValue(name, out var left) || left <= 0)
        {
            return TestGraphs.Log(name);
        }

        failuresLeft[name] = left == int.MaxValue ? left : left - 1; // only this branch's task touches its entry
        throw new InvalidOperationException($"{name} broke");
    }

    private (string, int)[] Runs() => [.. runs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value))];
}
