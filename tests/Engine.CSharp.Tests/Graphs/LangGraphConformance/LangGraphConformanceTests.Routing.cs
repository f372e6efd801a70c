using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>Routers without a path map, and asynchronous routers.</summary>
public sealed partial class LangGraphConformanceTests
{
    /// <summary>
    /// 21. A router without a path map. LangGraph: <c>add_conditional_edges("a", router)</c> with no <c>path_map</c>
    /// compiles; the router's return value is the node to run next.
    /// </summary>
    [Test]
    public async Task Router_WithoutDeclaredTargets_RoutesToTheNodeItNames()
    {
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b")).AddNode("c", _ => Log("c"))
            .AddEdge(StateGraph.Start, "a")
            .AddConditionalEdges("a", s => s.Count == 1 ? "c" : "b")
            .AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "c" }));
    }

    /// <summary>
    /// 22. A router without a path map that names no node of the graph. LangGraph fails the run when the branch
    /// writes to a node it does not have; here the error names the router's source node and the unknown target.
    /// </summary>
    [Test]
    public async Task Router_WithoutDeclaredTargets_UnknownNodeFailsNamingSourceAndTarget()
    {
        await using var g = Trace().AddNode("a", _ => Log("a"))
            .AddEdge(StateGraph.Start, "a")
            .AddConditionalEdges("a", _ => "ghost").Compile();

        var e = await Assert.ThrowsAsync<InvalidRouteException>(async () => await g.InvokeAsync([]).Bounded());
        Assert.Multiple(() =>
        {
            Assert.That(e!.SourceNode, Is.EqualTo("a"));
            Assert.That(e.Target, Is.EqualTo("ghost"));
            Assert.That(e.Message, Does.Contain("'a'").And.Contain("'ghost'"));
        });
    }

    /// <summary>23. LangGraph draws a router without a path map to every node and END.</summary>
    [Test]
    public void Router_WithoutDeclaredTargets_IsDrawnToEveryNode()
    {
        var mermaid = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b"))
            .AddEdge(StateGraph.Start, "a").AddConditionalEdges("a", _ => "b").AddEdge("b", StateGraph.End).ToMermaid();

        Assert.That(mermaid, Does.Contain("a -.-> a").And.Contain("a -.-> b").And.Contain($"a -.-> {StateGraph.End}"));
    }

    /// <summary>
    /// 24. An async router. LangGraph runs <c>async def</c> routers; the next step starts once the route is known. The
    /// router here completes only after a gate opens, so the route is applied after the router returned.
    /// </summary>
    [Test]
    public async Task Router_Async_NextStepWaitsForItsRoute()
    {
        var decide = NewGate<string>();
        var entered = NewGate();
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b")).AddNode("c", _ => Log("c"))
            .AddEdge(StateGraph.Start, "a")
            .AddConditionalEdges("a", async (_, ct) =>
            {
                entered.TrySetResult();
                return (Route)await decide.Task.WaitAsync(ct).ConfigureAwait(false);
            }, "b", "c")
            .AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End).Compile();

        var run = g.InvokeAsync([]);
        await entered.Task.Bounded();
        Assert.That(run.IsCompleted, Is.False);
        decide.SetResult("b");

        Assert.That(await run.Bounded(), Is.EqualTo(new[] { "a", "b" }));
    }

    /// <summary>25. An async router's route is checked like a synchronous one's: an undeclared target fails the run.</summary>
    [Test]
    public async Task Router_AsyncFromStart_UndeclaredTargetFails()
    {
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b"))
            .AddConditionalEdges(StateGraph.Start, async _ => { await Task.Yield(); return "b"; }, "a")
            .AddEdge("a", "b").AddEdge("b", StateGraph.End).Compile();

        var e = await Assert.ThrowsAsync<InvalidRouteException>(async () => await g.InvokeAsync([]).Bounded());
        Assert.That(e!.Target, Is.EqualTo("b"));
    }

    /// <summary>26. Routes keep their order with async routers: sends from an async router and a later sync router land in node order.</summary>
    [Test]
    public async Task Router_AsyncAndSyncSends_AppliedInNodeOrder()
    {
        await using var g = Trace()
            .AddNode("p", _ => Log("p")).AddNode("q", _ => Log("q"))
            .AddWorker<string>("w", x => Log(x))
            .AddEdge(StateGraph.Start, "p").AddEdge(StateGraph.Start, "q")
            .AddConditionalEdges("p", async _ => { await Task.Yield(); return Route.Sends(Send.To("w", "from-p")); }, "w")
            .AddConditionalEdges("q", _ => Route.Sends(Send.To("w", "from-q")), "w")
            .AddEdge("w", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "p", "q", "from-p", "from-q" }));
    }
}
