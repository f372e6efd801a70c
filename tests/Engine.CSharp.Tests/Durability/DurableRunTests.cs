using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Durability;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class DurableRunTests(StoreKind kind) : StoreFixture(kind)
{
    [TestCase(CheckpointDurability.PerStepSync)]
    [TestCase(CheckpointDurability.Async)]
    public async Task InvokeAsync_WithThread_SavesAnInputCheckpointAndOnePerStep(CheckpointDurability durability)
    {
        await using var compiled = Chain().Compile(Options(durability));

        var events = await TestGraphs.CollectAsync(compiled.StreamAsync([], new RunOptions { ThreadId = "t" })).Bounded();

        var history = await compiled.GetStateHistoryAsync("t").Bounded();
        Assert.That(history.Select(h => (h.CheckpointId, h.ParentCheckpointId, h.Step, h.Metadata.Source)), Is.EqualTo(new (long, long?, int, CheckpointSource)[]
        {
            (4, 3, 3, CheckpointSource.Loop),
            (3, 2, 2, CheckpointSource.Loop),
            (2, 1, 1, CheckpointSource.Loop),
            (1, null, 0, CheckpointSource.Input),
        }));
        Assert.That(history.Select(h => string.Join(">", h.Next)), Is.EqualTo(new[] { string.Empty, "c", "b", "a" }));
        Assert.That(history[0].Values, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(history[1].Metadata.Writers, Is.EqualTo(new[] { "b" }));
        Assert.That(events.OfType<CheckpointSavedEvent>().Select(e => e.CheckpointId), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
    }

    [Test]
    public async Task InvokeAsync_AtExit_PutsOneCheckpointWhenTheRunEnds()
    {
        await using var compiled = Chain().Compile(Options(CheckpointDurability.AtExit));

        var state = await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded();

        var history = await compiled.GetStateHistoryAsync("t").Bounded();
        Assert.That(state, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(history.Select(h => (h.CheckpointId, h.Step, h.Next.Count)), Is.EqualTo(new[] { (1L, 3, 0) }));
    }

    [Test]
    public async Task InvokeAsync_SecondRunOnAThread_FollowsTheLatestCheckpoint()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded();

        await compiled.InvokeAsync(["x"], new RunOptions { ThreadId = "t" }).Bounded();

        var state = await compiled.GetStateAsync("t").Bounded();
        var input = await compiled.GetStateAsync("t", 5).Bounded();
        Assert.That(state!.Values, Is.EqualTo(new[] { "x", "a", "b", "c" }));
        Assert.That((input!.ParentCheckpointId, input.Metadata.Source), Is.EqualTo(((long?)4, CheckpointSource.Input)));
    }

    [Test]
    public async Task ResumeAsync_AfterASiblingFailed_DoesNotRerunFinishedTasksAndRecordsTheError()
    {
        // Deterministic interleaving: "ok" is in flight (started, waiting on a gate with the run's token) when
        // "flaky" fails, so the failure cancels it: it did not finish, so resuming runs it again exactly once.
        var runs = new ConcurrentDictionary<string, int>();
        var fail = true;
        var okStarted = TestGraphs.NewGate();
        var okGate = TestGraphs.NewGate();
        var graph = TestGraphs.Trace()
            .AddNode("ok", async (s, ctx) =>
            {
                var log = Count(runs, "ok");
                okStarted.TrySetResult();
                await okGate.Task.WaitAsync(ctx.CancellationToken);
                return log;
            })
            .AddNode("flaky", async (s, ctx) =>
            {
                Count(runs, "flaky");
                if (fail)
                {
                    await okStarted.Task.WaitAsync(TestGraphs.Wait);
                    throw new InvalidOperationException("boom");
                }

                return TestGraphs.Log("flaky");
            })
            .AddNode("after", s => Count(runs, "after"))
            .AddEdge(StateGraph.Start, "ok")
            .AddEdge(StateGraph.Start, "flaky")
            .AddJoin(["ok", "flaky"], "after")
            .AddEdge("after", StateGraph.End);
        await using var compiled = graph.Compile(Options());

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded());

        Assert.That(ex!.Node, Is.EqualTo("flaky"));
        var checkpoint = await TestStore.Store.GetAsync("t").Bounded();
        Assert.That(checkpoint!.Id, Is.EqualTo(1));
        Assert.That(checkpoint.PendingWrites.Select(w => (w.Node, w.Kind)), Has.Member(("flaky", PendingWriteKind.Error)));
        Assert.That(checkpoint.PendingWrites.Any(w => w.Node == "ok" && w.Kind == PendingWriteKind.Update), Is.False, "ok was cancelled in flight");

        fail = false;
        okGate.SetResult();
        var result = await compiled.ResumeAsync("t").Bounded();

        Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
        Assert.That(result.State, Is.EqualTo(new[] { "flaky", "ok", "after" }));
        Assert.That(runs["ok"], Is.EqualTo(2), "in flight when the sibling failed, so run again once");
        Assert.That(runs["flaky"], Is.EqualTo(2));
    }

    [Test]
    public async Task ResumeAsync_FailedSiblingAfterOthersFinished_KeepsTheirWrites()
    {
        var runs = new ConcurrentDictionary<string, int>();
        var okDone = TestGraphs.NewGate();
        var fail = true;
        var graph = TestGraphs.Trace()
            .AddNode("ok", s => Count(runs, "ok"))
            .AddNode("flaky", async (s, ctx) =>
            {
                Count(runs, "flaky");
                if (fail)
                {
                    await okDone.Task.WaitAsync(TestGraphs.Wait).ConfigureAwait(false);
                    throw new InvalidOperationException("boom");
                }

                return TestGraphs.Log("flaky");
            })
            .AddEdge(StateGraph.Start, "ok")
            .AddEdge(StateGraph.Start, "flaky")
            .AddEdge("ok", StateGraph.End)
            .AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile(Options(CheckpointDurability.PerStepSync));
        var stream = compiled.StreamAsync([], new RunOptions { ThreadId = "t" });
        await Assert.ThrowsAsync<NodeFailedException>(async () =>
        {
            await foreach (var e in stream)
            {
                if (e is TaskFinishedEvent<IReadOnlyList<string>> { Node: "ok" })
                {
                    okDone.TrySetResult();
                }
            }
        });

        var checkpoint = await TestStore.Store.GetAsync("t").Bounded();
        Assert.That(checkpoint!.PendingWrites.Select(w => (w.Node, w.Kind)), Is.EquivalentTo(new[] { ("ok", PendingWriteKind.Update), ("flaky", PendingWriteKind.Error) }));
        fail = false;

        var result = await compiled.ResumeAsync("t").Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "flaky", "ok" }));
        Assert.That((runs["ok"], runs["flaky"]), Is.EqualTo((1, 2)));
    }

    [Test]
    public async Task ResumeAsync_JoinHalfDone_RestoresJoinProgressInAFreshGraph()
    {
        static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Build() => TestGraphs.Trace()
            .AddNode("a", s => TestGraphs.Log("a"))
            .AddNode("p", s => TestGraphs.Log("p"))
            .AddNode("b", s => TestGraphs.Log("b"))
            .AddNode("c", s => TestGraphs.Log("c"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge(StateGraph.Start, "p")
            .AddEdge("p", "b")
            .AddJoin(["a", "b"], "c")
            .AddEdge("c", StateGraph.End);
        await using (var first = Build().Compile(Options() with { InterruptBefore = ["b"] }))
        {
            var interrupted = await first.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
            Assert.That(interrupted.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        }

        await using var second = Build().Compile(Options());
        var result = await second.ResumeAsync("t").Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "a", "p", "b", "c" }));
    }

    [Test]
    public async Task ResumeAsync_SendTasks_RestoresTheirArguments()
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("plan", s => 0)
            .AddWorker<int>("double", x => x * 2)
            .AddNode("done", s => 0)
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", s => Route.Sends(Enumerable.Range(1, 3).Select(i => Send.To("double", i))), "double")
            .AddEdge("double", "done")
            .AddEdge("done", StateGraph.End);
        await using var compiled = graph.Compile(Options() with { InterruptBefore = ["double"] });

        var first = await compiled.RunAsync(100, new RunOptions { ThreadId = "t" }).Bounded();
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That(first.Interrupts.Select(i => i.Kind), Is.EqualTo(Enumerable.Repeat(InterruptKind.Before, 3)));
        Assert.That(resumed.State, Is.EqualTo(112));
    }

    [Test]
    public async Task ResumeAsync_ThreadWithAnotherStateType_FailsNamingBothTypesAndWritesNothing()
    {
        await using (var ints = new StateGraph<int, int>(Reducers.Sum<int>()).AddNode("a", s => 1).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).Compile(Options()))
        {
            await ints.InvokeAsync(0, new RunOptions { ThreadId = "t" }).Bounded();
        }

        var before = await TestStore.Store.ListAsync("t").Bounded();
        await using var lists = Chain().Compile(Options());

        var ex = await Assert.ThrowsAsync<GraphCompatibilityException>(async () => await lists.ResumeAsync("t").Bounded());

        Assert.That(ex!.Message, Does.Contain("System.Int32").And.Contain("System.Collections.Generic.IReadOnlyList<System.String>"));
        Assert.That(await TestStore.Store.ListAsync("t").Bounded(), Is.EqualTo(before));
    }

    [Test]
    public async Task ResumeAsync_FinishedThread_ThrowsNamingTheThreadAndWritesNothing()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        var before = await TestStore.Store.ListAsync("t").Bounded();

        var ex = await Assert.ThrowsAsync<GraphThreadFinishedException>(async () => await compiled.ResumeAsync("t", Resume.Continue).Bounded());

        var after = await TestStore.Store.ListAsync("t").Bounded();
        Assert.Multiple(() =>
        {
            Assert.That((ex!.ThreadId, ex.CheckpointId), Is.EqualTo(("t", 4L)));
            Assert.That(ex.Message, Does.Contain("Thread 't' has finished").And.Contain("nothing to resume").And.Contain("Start a new run"));
            Assert.That(after, Is.EqualTo(before), "nothing written");
        });
    }

    [Test]
    public async Task StreamResumeAsync_FinishedThread_ThrowsTheSameException()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        var events = new List<GraphEvent>();

        async Task ReadAllAsync()
        {
            await foreach (var e in compiled.StreamResumeAsync("t"))
            {
                events.Add(e);
            }
        }

        var ex = await Assert.ThrowsAsync<GraphThreadFinishedException>(async () => await ReadAllAsync().Bounded());

        Assert.That((ex!.ThreadId, events.Count), Is.EqualTo(("t", 0)));
    }

    [Test]
    public async Task ResumeAsync_ReplayFromAFinishedCheckpoint_ThrowsAndForksNothing()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        await compiled.ForkAsync("t", 2).Bounded();
        var before = await TestStore.Store.ListAsync("t").Bounded();

        var ex = await Assert.ThrowsAsync<GraphThreadFinishedException>(async () =>
            await compiled.ResumeAsync("t", null, new RunOptions { CheckpointId = 4 }).Bounded());

        Assert.That(ex!.CheckpointId, Is.EqualTo(4));
        Assert.That(await TestStore.Store.ListAsync("t").Bounded(), Is.EqualTo(before), "no fork written");
    }

    [Test]
    public async Task ResumeAsync_UnknownThread_Throws()
    {
        await using var compiled = Chain().Compile(Options());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await compiled.ResumeAsync("nope").Bounded());
    }

    internal static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Chain() => TestGraphs.Trace()
        .AddNode("a", s => TestGraphs.Log("a"))
        .AddNode("b", s => TestGraphs.Log("b"))
        .AddNode("c", s => TestGraphs.Log("c"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "b")
        .AddEdge("b", "c")
        .AddEdge("c", StateGraph.End);

    private static IReadOnlyList<string> Count(ConcurrentDictionary<string, int> runs, string node)
    {
        runs.AddOrUpdate(node, 1, (_, n) => n + 1);
        return TestGraphs.Log(node);
    }
}
