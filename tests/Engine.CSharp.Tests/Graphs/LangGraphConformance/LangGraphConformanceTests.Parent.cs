using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>Commands to the parent graph.</summary>
public sealed partial class LangGraphConformanceTests
{
    /// <summary>
    /// 31. <c>Command(graph=Command.PARENT, update=..., goto="c")</c> from a node inside a subgraph. LangGraph: the child
    /// stops there; the parent applies the update through its reducer and runs c next.
    /// </summary>
    [Test]
    public async Task Subgraph_CommandToParent_ParentAppliesUpdateAndGoto()
    {
        var laterRuns = 0;
        await using var child = Trace()
            .AddNode("route", (_, ctx) =>
            {
                ctx.CommandParent(new Command<IReadOnlyList<string>>(Log("from-child"), "c"));
                return Log("unreached");
            })
            .AddNode("later", _ => { Interlocked.Increment(ref laterRuns); return Log("later"); })
            .AddEdge(StateGraph.Start, "route").AddEdge("route", "later").AddEdge("later", StateGraph.End).Compile();
        await using var parent = ParentOf(child).Compile();

        Assert.That(await parent.InvokeAsync(["in"]).Bounded(), Is.EqualTo(new[] { "in", "from-child", "c" }));
        Assert.That(laterRuns, Is.Zero);
    }

    /// <summary>32. The same on durable parent and child threads: the parent's checkpoint records the command and the run ends at c.</summary>
    [Test]
    public async Task Subgraph_CommandToParentOnADurableThread_ParentRoutes()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Trace()
            .AddNode("route", (_, ctx) =>
            {
                ctx.CommandParent(Command<IReadOnlyList<string>>.GotoOnly("b"));
                return Log("unreached");
            })
            .AddEdge(StateGraph.Start, "route").AddEdge("route", StateGraph.End).Compile(checkpointer: store);
        await using var parent = ParentOf(child).Compile(checkpointer: store);

        var done = await parent.RunAsync([], OnT).Bounded();

        Assert.That(done.State, Is.EqualTo(new[] { "b" }));
        Assert.That((await parent.GetStateAsync("t").Bounded())!.Next, Is.Empty);
    }

    /// <summary>33. A parent command of another update type fails the subgraph node, naming both types.</summary>
    [Test]
    public async Task Subgraph_CommandToParentOfTheWrongType_FailsNamingTheTypes()
    {
        await using var child = Trace()
            .AddNode("route", (_, ctx) =>
            {
                ctx.CommandParent(Command<int>.GotoOnly("c"));
                return Log("unreached");
            })
            .AddEdge(StateGraph.Start, "route").AddEdge("route", StateGraph.End).Compile();
        await using var parent = ParentOf(child).Compile();

        var e = await Assert.ThrowsAsync<NodeFailedException>(async () => await parent.InvokeAsync([]).Bounded());
        Assert.That(e!.InnerException!.Message, Does.Contain("Command<Int32>").And.Contain("'sub'").And.Contain("IReadOnlyList"));
    }

    /// <summary>34. A graph run on its own has no parent: a parent command fails the run saying so.</summary>
    [Test]
    public async Task CommandParent_InAGraphRunOnItsOwn_FailsSayingItHasNoParent()
    {
        await using var g = Trace()
            .AddNode("route", (_, ctx) =>
            {
                ctx.CommandParent(Command<IReadOnlyList<string>>.GotoOnly("b"));
                return Log("unreached");
            })
            .AddEdge(StateGraph.Start, "route").AddEdge("route", StateGraph.End).Compile();

        var e = await Assert.ThrowsAsync<NodeFailedException>(async () => await g.InvokeAsync([]).Bounded());
        Assert.That(e!.InnerException, Is.InstanceOf<ParentCommandException>());
        Assert.That(e.InnerException!.Message, Does.Contain("'route'").And.Contain("subgraph"));
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> ParentOf(CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> child) =>
        Trace()
            .AddSubgraph<IReadOnlyList<string>, IReadOnlyList<string>>("sub", child, s => s, s => s, new NodeOptions { Destinations = ["b", "c"] })
            .AddNode("b", _ => Log("b")).AddNode("c", _ => Log("c"))
            .AddEdge(StateGraph.Start, "sub").AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End);
}
