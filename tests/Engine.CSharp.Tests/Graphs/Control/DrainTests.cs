using System.Collections.Concurrent;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs.Control;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class DrainTests(StoreKind kind) : StoreFixture(kind)
{
    private readonly ConcurrentDictionary<string, int> runs = new();

    [SetUp]
    public void Reset() => runs.Clear();

    /// <summary>a -> b -> c; a waits for <paramref name="release"/> after telling <paramref name="inA"/>.</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Chain(TaskCompletionSource inA, Task release) => Chain(() => inA.TrySetResult(), release);

    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Chain(Action inA, Task release) => TestGraphs.Trace()
        .AddNode("a", async (IReadOnlyList<string> s, NodeContext ctx) =>
        {
            runs.AddOrUpdate("a", 1, (_, n) => n + 1);
            inA();
            await release.WaitAsync(ctx.CancellationToken);
            return TestGraphs.Log("a");
        })
        .AddNode("b", s => Count("b"))
        .AddNode("c", s => Count("c"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "b")
        .AddEdge("b", "c")
        .AddEdge("c", StateGraph.End);

    private IReadOnlyList<string> Count(string node)
    {
        runs.AddOrUpdate(node, 1, (_, n) => n + 1);
        return TestGraphs.Log(node);
    }

    [Test]
    public async Task DrainToken_CancelledDuringAStep_TheRunStopsAfterThatStepsCheckpointAndResumes()
    {
        var inA = TestGraphs.NewGate();
        var release = TestGraphs.NewGate();
        using var drain = new CancellationTokenSource();
        await using var compiled = Chain(inA, release.Task).Compile(Options());

        var running = compiled.RunAsync([], new RunOptions { ThreadId = "t", DrainToken = drain.Token });
        await Wait.For(inA.Task, "a runs");
        await drain.CancelAsync();
        release.SetResult();
        var drained = await running.Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That((drained.Status, drained.CheckpointId, drained.Interrupts.Count), Is.EqualTo((GraphRunStatus.Drained, (long?)2, 0)));
        Assert.That(drained.State, Is.EqualTo(new[] { "a" }));
        Assert.That(snapshot!.Next, Is.EqualTo(new[] { "b" }));
        Assert.That((resumed.Status, resumed.State), Is.EqualTo((GraphRunStatus.Completed, new[] { "a", "b", "c" })));
        Assert.That(runs.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToArray(), Is.EqualTo(new[] { ("a", 1), ("b", 1), ("c", 1) }));
    }

    [Test]
    public async Task InvokeAsync_Drained_ThrowsGraphInterruptedExceptionWithStatusDrained()
    {
        var inA = TestGraphs.NewGate();
        using var drain = new CancellationTokenSource();
        await drain.CancelAsync();
        inA.SetResult();
        await using var compiled = Chain(inA, Task.CompletedTask).Compile(Options());

        var ex = await Assert.ThrowsAsync<GraphInterruptedException>(async () => await compiled.InvokeAsync([], new RunOptions { ThreadId = "t", DrainToken = drain.Token }).Bounded());

        Assert.That((ex!.Status, ex.CheckpointId, ex.Message), Is.EqualTo((GraphRunStatus.Drained, (long?)1, "The run of thread 't' was drained at checkpoint 1; resume it with ResumeAsync.")));
    }

    [Test]
    public async Task DrainAsync_TwoRunsInFlight_BothStopAtTheirStepBoundaryAndNewRunsAreRefused()
    {
        using var arrived = new SemaphoreSlim(0);
        var release = TestGraphs.NewGate();
        await using var first = Chain(() => arrived.Release(), release.Task).Compile(Options());
        var one = first.RunAsync([], new RunOptions { ThreadId = "t1" });
        var two = first.RunAsync([], new RunOptions { ThreadId = "t2" });
        await Wait.For(arrived.WaitAsync(), "one run is in a");
        await Wait.For(arrived.WaitAsync(), "the other run is in a");

        var drained = first.DrainAsync(Timeout.InfiniteTimeSpan);
        Assert.That(drained.IsCompleted, Is.False, "two runs are in flight");
        Assert.That(first.IsDraining, Is.True);
        release.SetResult();
        var results = await Task.WhenAll(one, two).Bounded();

        Assert.That(await drained.Bounded(), Is.True);
        Assert.That(results.Select(r => (r.ThreadId, r.Status, r.CheckpointId)), Is.EqualTo(new[] { ("t1", GraphRunStatus.Drained, (long?)2), ("t2", GraphRunStatus.Drained, (long?)2) }));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await first.RunAsync([], new RunOptions { ThreadId = "t3" }).Bounded());
        Assert.That(refused!.Message, Does.StartWith("The graph is draining (DrainAsync was called): it starts no new runs."));
    }

    [Test]
    public async Task DrainAsync_ThenAnotherGraphResumes_TheDrainedThreadsFinishThere()
    {
        var inA = TestGraphs.NewGate();
        var release = TestGraphs.NewGate();
        var old = Chain(inA, release.Task).Compile(Options());
        var running = old.RunAsync([], new RunOptions { ThreadId = "t" });
        await Wait.For(inA.Task, "a runs");
        var drained = old.DrainAsync(Timeout.InfiniteTimeSpan);
        release.SetResult();
        Assert.That(await drained.Bounded(), Is.True);
        Assert.That((await running.Bounded()).Status, Is.EqualTo(GraphRunStatus.Drained));
        await old.DisposeAsync();

        await using var next = Chain(TestGraphs.NewGate(), Task.CompletedTask).Compile(Options());
        var resumed = await next.ResumeAsync("t").Bounded();

        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(runs["a"], Is.EqualTo(1), "a finished before the drain: the new graph does not run it again");
    }

    [Test]
    public async Task DrainAsync_ARunWithoutACheckpointerPastTheTimeout_ReturnsFalseAndTheRunFinishes()
    {
        var clock = new FakeClock();
        var inA = TestGraphs.NewGate();
        var release = TestGraphs.NewGate();
        await using var compiled = Chain(inA, release.Task).Compile(new GraphCompileOptions { TimeProvider = clock });
        var running = compiled.InvokeAsync([]);
        await Wait.For(inA.Task, "a runs");

        var drained = compiled.DrainAsync(TimeSpan.FromSeconds(30));
        await clock.WhenArmed(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.That(await drained.Bounded(), Is.False);
        release.SetResult();
        Assert.That(await running.Bounded(), Is.EqualTo(new[] { "a", "b", "c" }), "a run that cannot be resumed is not stopped");
    }

    [Test]
    public async Task DrainAsync_NoRuns_CompletesAtOnce()
    {
        await using var compiled = Chain(TestGraphs.NewGate(), Task.CompletedTask).Compile(Options());

        Assert.That(await compiled.DrainAsync(TimeSpan.Zero).Bounded(), Is.True);
    }

    [Test]
    public async Task DrainAsync_NegativeTimeout_Throws()
    {
        await using var compiled = Chain(TestGraphs.NewGate(), Task.CompletedTask).Compile(Options());

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await compiled.DrainAsync(TimeSpan.FromSeconds(-1)));

        Assert.That(ex!.ParamName, Is.EqualTo("timeout"));
    }
}
