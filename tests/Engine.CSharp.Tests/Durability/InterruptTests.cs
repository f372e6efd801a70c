using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Durability;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class InterruptTests(StoreKind kind) : StoreFixture(kind)
{
    [Test]
    public async Task RunAsync_InterruptBefore_StopsBeforeTheNodeAndResumeRunsIt()
    {
        await using var compiled = DurableRunTests.Chain().Compile(Options() with { InterruptBefore = ["b"] });

        var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That((first.Status, first.CheckpointId), Is.EqualTo((GraphRunStatus.Interrupted, (long?)2)));
        Assert.That(first.Interrupts.Single(), Is.EqualTo(new GraphInterrupt("before:2:0:b", "b", "2:0:b", InterruptKind.Before, null)));
        Assert.That(first.State, Is.EqualTo(new[] { "a" }));
        Assert.That(snapshot!.Next, Is.EqualTo(new[] { "b" }));
        Assert.That(resumed.Status, Is.EqualTo(GraphRunStatus.Completed));
        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task ResumeAsync_AfterInterruptBefore_ContinuesTheStepNumbers()
    {
        await using var compiled = DurableRunTests.Chain().Compile(Options() with { InterruptBefore = ["b"] });
        await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();

        var events = await TestGraphs.CollectAsync(compiled.StreamResumeAsync("t")).Bounded();
        var steps = events.OfType<StepFinishedEvent<IReadOnlyList<string>>>().Select(e => e.Step).ToList();

        var history = await compiled.GetStateHistoryAsync("t").Bounded();

        Assert.That(steps, Is.EqualTo(new[] { 2, 3 }), "the resumed step is step 2 (its task id is 2:0:b), then step 3");
        Assert.That(history.Select(h => h.Step), Is.EqualTo(new[] { 3, 2, 1, 0 }), "checkpoints newest first, one per step, no repeated step");
    }

    [Test]
    public async Task RunAsync_InterruptAfterPerRun_StopsAfterTheNode()
    {
        await using var compiled = DurableRunTests.Chain().Compile(Options());

        var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t", InterruptAfter = ["a"] }).Bounded();
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That(first.Interrupts.Single().Kind, Is.EqualTo(InterruptKind.After));
        Assert.That(first.State, Is.EqualTo(new[] { "a" }));
        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task InvokeAsync_Interrupted_ThrowsGraphInterruptedException()
    {
        await using var compiled = DurableRunTests.Chain().Compile(Options() with { InterruptBefore = ["c"] });

        var ex = await Assert.ThrowsAsync<GraphInterruptedException>(async () => await compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }).Bounded());

        Assert.That((ex!.ThreadId, ex.CheckpointId, ex.Interrupts.Single().Node), Is.EqualTo(("t", (long?)3, "c")));
    }

    [Test]
    public void Compile_InterruptBeforeUnknownNode_FailsValidation()
    {
        var ex = Assert.Throws<GraphValidationException>(() => DurableRunTests.Chain().Compile(Options() with { InterruptBefore = ["zzz"] }));

        Assert.That(ex!.Errors, Has.Member("InterruptBefore names unknown node 'zzz'."));
    }

    [Test]
    public async Task ResumeAsync_DynamicInterrupt_ReturnsTheResumeValueFromInterrupt()
    {
        var calls = 0;
        var graph = TestGraphs.Trace()
            .AddNode("ask", (s, ctx) =>
            {
                Interlocked.Increment(ref calls);
                var answer = ctx.Interrupt<string>("proceed?");
                return TestGraphs.Log("answer:" + answer);
            })
            .AddEdge(StateGraph.Start, "ask")
            .AddEdge("ask", StateGraph.End);
        await using var compiled = graph.Compile(Options());

        var events = await TestGraphs.CollectAsync(compiled.StreamAsync([], new RunOptions { ThreadId = "t" })).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var resumed = await compiled.ResumeAsync("t", Resume.With("yes")).Bounded();

        var interrupted = events.OfType<InterruptedEvent>().Single();
        Assert.That(interrupted.Interrupts.Single(), Is.EqualTo(new GraphInterrupt("1:0:ask#0", "ask", "1:0:ask", InterruptKind.Dynamic, "proceed?")));
        Assert.That(snapshot!.Interrupts.Single(), Is.EqualTo(interrupted.Interrupts.Single()));
        Assert.That(resumed.State, Is.EqualTo(new[] { "answer:yes" }));
        Assert.That(calls, Is.EqualTo(2), "the interrupted node runs again from its start");
    }

    [Test]
    public async Task ResumeAsync_NodeInterruptingTwice_ReplaysTheFirstValue()
    {
        var graph = TestGraphs.Trace()
            .AddNode("ask", (s, ctx) =>
            {
                var first = ctx.Interrupt<int>("first?");
                var second = ctx.Interrupt<int>("second?");
                return TestGraphs.Log($"{first}+{second}");
            })
            .AddEdge(StateGraph.Start, "ask")
            .AddEdge("ask", StateGraph.End);
        await using var compiled = graph.Compile(Options());

        await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        var second = await compiled.ResumeAsync("t", Resume.With(1)).Bounded();
        var done = await compiled.ResumeAsync("t", Resume.ById(new Dictionary<string, object?> { ["1:0:ask#1"] = 2 })).Bounded();

        Assert.That(second.Interrupts.Single().Value, Is.EqualTo("second?"));
        Assert.That(done.State, Is.EqualTo(new[] { "1+2" }));
    }

    [Test]
    public async Task ResumeAsync_TwoPendingInterruptsInAParallelStep_ResumesByIdAndKeepsSiblingWrites()
    {
        var runs = new ConcurrentDictionary<string, int>();
        IReadOnlyList<string> Asker(string name, NodeContext ctx)
        {
            runs.AddOrUpdate(name, 1, (_, n) => n + 1);
            return TestGraphs.Log($"{name}={ctx.Interrupt<string>(name + "?")}");
        }

        var graph = TestGraphs.Trace()
            .AddNode("x", (s, ctx) => Asker("x", ctx))
            .AddNode("y", (s, ctx) => Asker("y", ctx))
            .AddNode("z", s =>
            {
                runs.AddOrUpdate("z", 1, (_, n) => n + 1);
                return TestGraphs.Log("z");
            })
            .AddEdge(StateGraph.Start, "x")
            .AddEdge(StateGraph.Start, "y")
            .AddEdge(StateGraph.Start, "z")
            .AddEdge("x", StateGraph.End)
            .AddEdge("y", StateGraph.End)
            .AddEdge("z", StateGraph.End);
        await using var compiled = graph.Compile(Options());

        var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        Assert.That(first.Interrupts.Select(i => i.Id), Is.EqualTo(new[] { "1:0:x#0", "1:1:y#0" }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await compiled.ResumeAsync("t", Resume.With("ambiguous")).Bounded());
        await Assert.ThrowsAsync<ArgumentException>(async () => await compiled.ResumeAsync("t", Resume.ById(new Dictionary<string, object?> { ["nope"] = 1 })).Bounded());

        var second = await compiled.ResumeAsync("t", Resume.ById(new Dictionary<string, object?> { ["1:1:y#0"] = "Y" })).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var done = await compiled.ResumeAsync("t", Resume.ById(new Dictionary<string, object?> { ["1:0:x#0"] = "X" })).Bounded();

        Assert.That(second.Interrupts.Select(i => i.Id), Is.EqualTo(new[] { "1:0:x#0" }));
        Assert.That(snapshot!.CompletedTasks, Is.EqualTo(new[] { "1:1:y", "1:2:z" }));
        Assert.That(done.State, Is.EqualTo(new[] { "x=X", "y=Y", "z" }));
        Assert.That((runs["x"], runs["y"], runs["z"]), Is.EqualTo((3, 2, 1)));
    }

    [Test]
    public async Task Interrupt_WithoutCheckpointer_FailsTheNodeClearly()
    {
        var graph = TestGraphs.Trace()
            .AddNode("ask", (s, ctx) => TestGraphs.Log(ctx.Interrupt<string>("?")))
            .AddEdge(StateGraph.Start, "ask")
            .AddEdge("ask", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync([]).Bounded());

        Assert.That(ex!.InnerException, Is.InstanceOf<InvalidOperationException>().With.Message.Contains("Checkpointer"));
    }
}
