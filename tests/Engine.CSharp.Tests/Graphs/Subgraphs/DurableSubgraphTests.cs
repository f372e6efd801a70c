using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs.Subgraphs;

/// <summary>A subgraph on a durable parent checkpoints in its own namespace, interrupts the parent and resumes where it stopped.</summary>
[TestFixture]
public sealed class DurableSubgraphTests
{
    [Test]
    public async Task RunAsync_ChildOnTheParentsStore_ChildCheckpointsInItsOwnNamespace()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Child(store, interrupts: 0, out _);
        await using var parent = Parent(child, store);

        var result = await parent.RunAsync(["in"], new RunOptions { ThreadId = "t" }).Bounded();
        var childState = await child.GetStateAsync("t|2:0:sub").Bounded();
        var parentHistory = await parent.GetStateHistoryAsync("t").Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "in", "before", "c1", "c2", "after" }));
        Assert.That(childState!.Values, Is.EqualTo(new[] { "in", "before", "c1", "c2" }));
        Assert.That(parentHistory.Select(h => h.Step), Is.EqualTo(new[] { 3, 2, 1, 0 }));
    }

    [Test]
    public async Task ResumeAsync_InterruptInsideTheChild_InterruptsTheParentAndContinuesTheChildWhereItStopped()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Child(store, interrupts: 1, out var c1Runs);
        await using var parent = Parent(child, store);

        var stopped = await parent.RunAsync(["in"], new RunOptions { ThreadId = "t" }).Bounded();
        var childWhileStopped = await child.GetStateAsync("t|2:0:sub").Bounded();
        var resumed = await parent.ResumeAsync("t", Resume.With("yes")).Bounded();

        Assert.That(stopped.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        var interrupt = stopped.Interrupts.Single();
        Assert.That((interrupt.Node, interrupt.TaskId, interrupt.Value), Is.EqualTo(("sub", "2:0:sub", (object?)"c2 asks 0")));
        Assert.That(childWhileStopped!.Next, Is.EqualTo(new[] { "c2" }));
        Assert.That(childWhileStopped.Interrupts.Single().Value, Is.EqualTo("c2 asks 0"));
        Assert.That(resumed.State, Is.EqualTo(new[] { "in", "before", "c1", "c2:yes", "after" }));
        Assert.That(c1Runs.Count, Is.EqualTo(1), "the child's finished node does not run again");
    }

    [Test]
    public async Task ResumeAsync_TwoInterruptsInsideTheChild_EachAnswerReachesItsInterrupt()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Child(store, interrupts: 2, out _);
        await using var parent = Parent(child, store);

        var first = await parent.RunAsync(["in"], new RunOptions { ThreadId = "t" }).Bounded();
        var second = await parent.ResumeAsync("t", Resume.With("a")).Bounded();
        var done = await parent.ResumeAsync("t", Resume.With("b")).Bounded();

        Assert.That(first.Interrupts.Single().Value, Is.EqualTo("c2 asks 0"));
        Assert.That(second.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        Assert.That(second.Interrupts.Single().Value, Is.EqualTo("c2 asks 1"));
        Assert.That(done.State, Is.EqualTo(new[] { "in", "before", "c1", "c2:a,b", "after" }));
    }

    [Test]
    public async Task RunAsync_ChildWithoutCheckpointer_RunsInMemoryAndLeavesTheParentsThreadAlone()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Child(null, interrupts: 0, out _);
        await using var parent = Parent(child, store);

        var result = await parent.RunAsync(["in"], new RunOptions { ThreadId = "t" }).Bounded();
        var history = await parent.GetStateHistoryAsync("t").Bounded();

        Assert.That(result.State, Is.EqualTo(new[] { "in", "before", "c1", "c2", "after" }));
        Assert.That(history.Select(h => h.Step), Is.EqualTo(new[] { 3, 2, 1, 0 }));
    }

    /// <summary>START → before → sub (the child) → after → END.</summary>
    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> Parent(CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> child, ICheckpointer store) =>
        TestGraphs.Trace()
            .AddNode("before", _ => TestGraphs.Log("before"))
            .AddSubgraph<IReadOnlyList<string>, IReadOnlyList<string>>("sub", child, s => s, s => s.Skip(2).ToList())
            .AddNode("after", _ => TestGraphs.Log("after"))
            .AddEdge(StateGraph.Start, "before")
            .AddEdge("before", "sub")
            .AddEdge("sub", "after")
            .AddEdge("after", StateGraph.End)
            .Compile(checkpointer: store);

    /// <summary>START → c1 → c2 → END; c2 asks <paramref name="interrupts"/> questions and logs the answers.</summary>
    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> Child(ICheckpointer? store, int interrupts, out List<int> c1Runs)
    {
        var runs = c1Runs = [];
        return TestGraphs.Trace()
            .AddNode("c1", _ =>
            {
                lock (runs)
                {
                    runs.Add(1);
                }

                return TestGraphs.Log("c1");
            })
            .AddNode("c2", (_, ctx) =>
            {
                var answers = Enumerable.Range(0, interrupts).Select(i => ctx.Interrupt<string>($"c2 asks {i}")).ToList();
                return TestGraphs.Log(answers.Count == 0 ? "c2" : "c2:" + string.Join(",", answers));
            })
            .AddEdge(StateGraph.Start, "c1")
            .AddEdge("c1", "c2")
            .AddEdge("c2", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store });
    }
}
