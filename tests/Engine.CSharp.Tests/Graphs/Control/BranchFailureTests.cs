using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs.Control;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class BranchFailureTests(StoreKind kind) : StoreFixture(kind)
{
    private static readonly RunOptions Thread = new() { ThreadId = "t" };

    private readonly ConcurrentDictionary<string, int> runs = new();
    private readonly HashSet<string> broken = [];

    [SetUp]
    public void Reset()
    {
        runs.Clear();
        broken.Clear(); // NUnit shares the fixture's instance between its tests
    }

    /// <summary>START -> a, b, c in parallel; join [a, b, c] -> d. A node in <see cref="broken"/> throws; c finishes only after every broken node threw.</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> FanOut(TaskCompletionSource? brokenThrew = null) => TestGraphs.Trace()
        .AddNode("a", (s, ctx) => Branch("a", ctx, brokenThrew))
        .AddNode("b", (s, ctx) => Branch("b", ctx, brokenThrew))
        .AddNode("c", (s, ctx) => Branch("c", ctx, brokenThrew))
        .AddNode("d", s => TestGraphs.Log($"d saw [{string.Join(", ", s)}]"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge(StateGraph.Start, "b")
        .AddEdge(StateGraph.Start, "c")
        .AddJoin(["a", "b", "c"], "d")
        .AddEdge("d", StateGraph.End);

    private async ValueTask<IReadOnlyList<string>> Branch(string name, NodeContext ctx, TaskCompletionSource? brokenThrew)
    {
        runs.AddOrUpdate(name, 1, (_, n) => n + 1);
        bool isBroken;
        lock (broken)
        {
            isBroken = broken.Contains(name);
        }

        if (isBroken)
        {
            brokenThrew?.TrySetResult();
            throw new InvalidOperationException($"{name} broke");
        }

        if (name == "c" && brokenThrew is not null)
        {
            await brokenThrew.Task.WaitAsync(ctx.CancellationToken); // finishes after its sibling failed
        }

        return TestGraphs.Log(name);
    }

    private static IReadOnlyList<string> Broke(string name) => throw new InvalidOperationException($"{name} broke");

    private void Fix(string node)
    {
        lock (broken)
        {
            broken.Remove(node);
        }
    }

    private async Task<IReadOnlyList<(string, PendingWriteKind)>> WritesOfInputCheckpointAsync()
    {
        var input = await TestStore.Store.GetAsync("t", 1).Bounded();
        return [.. input!.PendingWrites.Select(w => (w.Node, w.Kind)).OrderBy(w => w.Node).ThenBy(w => w.Kind)];
    }

    [Test]
    public async Task FailFast_ABranchFails_TheRunFailsAtOnceAndCancelsTheRunningSibling()
    {
        var started = TestGraphs.NewGate();
        var cancelled = TestGraphs.NewGate();
        await using var compiled = TestGraphs.Trace()
            .AddNode("b", async (IReadOnlyList<string> s, NodeContext ctx) =>
            {
                await started.Task.WaitAsync(ctx.CancellationToken);
                return Broke("b");
            })
            .AddNode("c", async (IReadOnlyList<string> s, NodeContext ctx) =>
            {
                var token = ctx.CancellationToken;
                started.TrySetResult();
                await token.WhenCancelled();
                cancelled.TrySetResult();
                token.ThrowIfCancellationRequested();
                return TestGraphs.Log("c");
            })
            .AddEdge(StateGraph.Start, "b")
            .AddEdge(StateGraph.Start, "c")
            .AddEdge("b", StateGraph.End)
            .AddEdge("c", StateGraph.End)
            .Compile(Options());

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());
        await Wait.For(cancelled.Task, "the sibling is cancelled");

        Assert.That(ex!.Node, Is.EqualTo("b"));
        Assert.That(await WritesOfInputCheckpointAsync(), Is.EqualTo(new[] { ("b", PendingWriteKind.Error) }));
    }

    [Test]
    public async Task ContinueOthers_ABranchFails_SiblingsFinishThenTheRunFailsNamingIt()
    {
        broken.Add("b");
        await using var compiled = FanOut(TestGraphs.NewGate()).SetBranchFailures(BranchFailurePolicy.ContinueOthers).Compile(Options());

        var ex = await Assert.ThrowsAsync<StepFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());
        var latest = await TestStore.Store.GetAsync("t").Bounded();

        Assert.That(ex!.Step, Is.EqualTo(1));
        Assert.That(ex.Failures.Select(f => (f.Node, f.TaskId, f.Error.Message)), Is.EqualTo(new[] { ("b", "1:1:b", "b broke") }));
        Assert.That(ex.InnerExceptions.Cast<NodeFailedException>().Select(e => e.Node), Is.EqualTo(new[] { "b" }));
        Assert.That(ex.Message, Does.StartWith("Step 1 failed in 1 task(s) after its other tasks finished: 'b' (InvalidOperationException: b broke)."));
        Assert.That(latest!.Id, Is.EqualTo(1), "the failed step is not applied: the input checkpoint stays the latest");
        Assert.That(await WritesOfInputCheckpointAsync(), Is.EqualTo(new[] { ("a", PendingWriteKind.Update), ("b", PendingWriteKind.Error), ("c", PendingWriteKind.Update) }));
    }

    [Test]
    public async Task ContinueOthers_ResumeAfterTheFix_RerunsOnlyTheFailedBranch()
    {
        broken.Add("b");
        await using var compiled = FanOut(TestGraphs.NewGate()).SetBranchFailures(BranchFailurePolicy.ContinueOthers).Compile(Options());
        await Assert.ThrowsAsync<StepFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());

        Fix("b");
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b", "c", "d saw [a, b, c]" }));
        Assert.That(runs.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToArray(), Is.EqualTo(new[] { ("a", 1), ("b", 2), ("c", 1) }));
    }

    [Test]
    public async Task ContinueOthers_TwoBranchesFail_BothAreNamedInPlannedOrder()
    {
        broken.Add("c");
        broken.Add("a");
        await using var compiled = FanOut().SetBranchFailures(BranchFailurePolicy.ContinueOthers).Compile(Options());

        var ex = await Assert.ThrowsAsync<StepFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());

        Assert.That(ex!.Failures.Select(f => f.Node), Is.EqualTo(new[] { "a", "c" }));
        Assert.That(await WritesOfInputCheckpointAsync(), Is.EqualTo(new[] { ("a", PendingWriteKind.Error), ("b", PendingWriteKind.Update), ("c", PendingWriteKind.Error) }));
    }

    [Test]
    public async Task Collect_ABranchFails_TheJoinReceivesItsErrorAsAValue()
    {
        broken.Add("b");
        await using var compiled = FanOut(TestGraphs.NewGate())
            .CollectBranchFailures(f => TestGraphs.Log($"error in {f.Node}: {f.Error.Message}"))
            .Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That((result.Status, result.CheckpointId), Is.EqualTo((GraphRunStatus.Completed, (long?)3)));
        Assert.That(result.State, Is.EqualTo(new[] { "a", "error in b: b broke", "c", "d saw [a, error in b: b broke, c]" }));
        Assert.That(await WritesOfInputCheckpointAsync(), Is.EqualTo(new[] { ("a", PendingWriteKind.Update), ("b", PendingWriteKind.Update), ("b", PendingWriteKind.Error), ("c", PendingWriteKind.Update) }));
    }

    [Test]
    public async Task Collect_ANodesOwnHandler_ComesBeforeTheCollector()
    {
        broken.Add("b");
        await using var compiled = FanOut()
            .CollectBranchFailures(f => TestGraphs.Log("collected"))
            .OnNodeError("b", (s, f) => TestGraphs.Log("b's handler"))
            .Compile(Options());

        var result = await compiled.InvokeAsync([], Thread).Bounded();

        Assert.That(result, Is.EqualTo(new[] { "a", "b's handler", "c", "d saw [a, b's handler, c]" }));
    }

    /// <summary>START -> a, b (join [a, b] -> ab, with <paramref name="policy"/>), and x, y (join [x, y] -> xy, the graph's policy).</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> TwoJoins(Func<StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>, StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>> joinAb) =>
        joinAb(TestGraphs.Trace()
            .AddNode("a", (s, ctx) => Branch("a", ctx, null))
            .AddNode("b", (s, ctx) => Branch("b", ctx, null))
            .AddNode("x", (s, ctx) => Branch("x", ctx, null))
            .AddNode("y", (s, ctx) => Branch("y", ctx, null))
            .AddNode("ab", s => TestGraphs.Log("ab"))
            .AddNode("xy", s => TestGraphs.Log("xy"))
            .AddEdge(StateGraph.Start, "a").AddEdge(StateGraph.Start, "b").AddEdge(StateGraph.Start, "x").AddEdge(StateGraph.Start, "y")
            .AddJoin(["x", "y"], "xy")
            .AddEdge("ab", StateGraph.End)
            .AddEdge("xy", StateGraph.End));

    [Test]
    public async Task AddJoinWithCollector_ASourceFails_ThatJoinCollectsWhileTheGraphStaysFailFast()
    {
        broken.Add("b");
        await using var compiled = TwoJoins(g => g.AddJoin(["a", "b"], "ab", f => TestGraphs.Log($"{f.Node} failed"))).Compile(Options());

        var result = await compiled.RunAsync([], Thread).Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "a", "b failed", "x", "y", "ab", "xy" }));
    }

    [Test]
    public async Task AddJoinWithCollector_AnotherJoinsSourceFails_TheGraphsFailFastHolds()
    {
        broken.Add("y");
        await using var compiled = TwoJoins(g => g.AddJoin(["a", "b"], "ab", f => TestGraphs.Log($"{f.Node} failed"))).Compile(Options());

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());

        Assert.That(ex!.Node, Is.EqualTo("y"));
    }

    [Test]
    public async Task AddJoinContinueOthers_ASourceFails_TheStepFailsAfterTheSiblings()
    {
        broken.Add("a");
        await using var compiled = TwoJoins(g => g.AddJoin(["a", "b"], "ab", BranchFailurePolicy.ContinueOthers)).Compile(Options());

        var ex = await Assert.ThrowsAsync<StepFailedException>(async () => await compiled.RunAsync([], Thread).Bounded());

        Assert.That(ex!.Failures.Select(f => f.Node), Is.EqualTo(new[] { "a" }));
        Assert.That(await WritesOfInputCheckpointAsync(), Is.EqualTo(new[] { ("a", PendingWriteKind.Error), ("b", PendingWriteKind.Update), ("x", PendingWriteKind.Update), ("y", PendingWriteKind.Update) }));
    }

    [Test]
    public void AddJoin_ASourceInTwoJoinsWithDifferentPolicies_FailsValidation()
    {
        var graph = TwoJoins(g => g.AddJoin(["a", "b"], "ab", BranchFailurePolicy.ContinueOthers)).AddNode("bx", s => TestGraphs.Log("bx")).AddEdge("bx", StateGraph.End);
        graph.AddJoin(["b", "x"], "bx", BranchFailurePolicy.FailFast);

        var ex = Assert.Throws<GraphValidationException>(() => graph.Compile(Options()));

        Assert.That(ex!.Errors, Is.EqualTo(new[] { "Node 'b' feeds joins with different branch-failure policies or collectors (ContinueOthers into 'ab', FailFast into 'bx')." }));
    }

    [Test]
    public void SetBranchFailures_Collect_ThrowsNamingTheCollectorForm()
    {
        var ex = Assert.Throws<ArgumentException>(() => FanOut().SetBranchFailures(BranchFailurePolicy.Collect));

        Assert.That(ex!.Message, Does.StartWith("SetBranchFailures takes FailFast or ContinueOthers (was Collect); Collect needs a collector: use CollectBranchFailures."));
    }
}
