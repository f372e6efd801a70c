using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>A subgraph compiled without a checkpointer inherits its parent's.</summary>
public sealed partial class LangGraphConformanceTests
{
    /// <summary>
    /// 36. A subgraph compiled without a checkpointer under a durable parent. LangGraph: the child inherits the parent's
    /// checkpointer, so an interrupt inside it interrupts the parent, and resuming continues the child where it stopped.
    /// </summary>
    [Test]
    public async Task Subgraph_CompiledWithoutACheckpointer_InheritsTheParentsStore()
    {
        var firstRuns = 0;
        await using var child = Trace()
            .AddNode("first", _ => { Interlocked.Increment(ref firstRuns); return Log("first"); })
            .AddNode("ask", (_, ctx) => Log("ask:" + ctx.Interrupt<string>("q")))
            .AddEdge(StateGraph.Start, "first").AddEdge("first", "ask").AddEdge("ask", StateGraph.End).Compile();
        await using var parent = Trace()
            .AddSubgraph<IReadOnlyList<string>, IReadOnlyList<string>>("sub", child, s => [], s => s)
            .AddEdge(StateGraph.Start, "sub").AddEdge("sub", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        var stopped = await parent.RunAsync([], OnT).Bounded();
        var done = await parent.ResumeAsync("t", Resume.With("a")).Bounded();

        Assert.That(stopped.Interrupts.Single().Value, Is.EqualTo("q"));
        Assert.That(done.State, Is.EqualTo(new[] { "first", "ask:a" }));
        Assert.That(firstRuns, Is.EqualTo(1));
        Assert.That(child.Options.Checkpointer, Is.Null, "the child itself stays as compiled");
    }

    /// <summary>37. Without a thread the parent has no store to give: the same child runs in memory and its interrupt fails the run.</summary>
    [Test]
    public async Task Subgraph_CompiledWithoutACheckpointerUnderAParentWithoutThread_RunsInMemory()
    {
        await using var child = Trace()
            .AddNode("ask", (_, ctx) => Log("ask:" + ctx.Interrupt<string>("q")))
            .AddEdge(StateGraph.Start, "ask").AddEdge("ask", StateGraph.End).Compile();
        await using var parent = Trace()
            .AddSubgraph<IReadOnlyList<string>, IReadOnlyList<string>>("sub", child, s => [], s => s)
            .AddEdge(StateGraph.Start, "sub").AddEdge("sub", StateGraph.End).Compile(checkpointer: new InMemoryCheckpointer());

        var e = await Assert.ThrowsAsync<NodeFailedException>(async () => await parent.InvokeAsync([]).Bounded());
        Assert.That(Innermost(e!).Message, Does.Contain("needs GraphCompileOptions.Checkpointer and RunOptions.ThreadId"));
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }
}
