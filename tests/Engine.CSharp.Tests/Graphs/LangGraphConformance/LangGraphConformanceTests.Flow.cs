using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>
/// "LangGraph conformance": small graphs with the answer LangGraph gives written in. Every answer is derived from
/// LangGraph's documented semantics (the low-level concepts guide: supersteps, reducers, Send, Command, recursion limit;
/// the persistence and human-in-the-loop guides: checkpoints, pending writes, interrupts, update_state, replay,
/// subgraphs) and each test names the rule it rests on. Where the engine deliberately differs, the test states the
/// difference and docs/graphs.md ("Differences from LangGraph") gives the reason. Flow cases here; durable ones in
/// the other part of this class.
/// </summary>
[TestFixture]
public sealed partial class LangGraphConformanceTests
{
    /// <summary>1. A chain. LangGraph: one node per superstep, the operator.add reducer appends each node's list.</summary>
    [Test]
    public async Task Chain_TwoNodes_AppendsInOrder()
    {
        await using var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b"))
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync(["x"]).Bounded(), Is.EqualTo(new[] { "x", "a", "b" }));
    }

    /// <summary>2. Fan-out and fan-in of equal length. LangGraph: b and c run in one superstep; d, triggered by both in that step, runs once.</summary>
    [Test]
    public async Task FanOutFanIn_EqualBranches_JoinRunsOnce()
    {
        await using var g = Diamond(useJoin: false, longBranch: false).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b", "c", "d" }));
    }

    /// <summary>
    /// 3. Branches of unequal length with plain edges. LangGraph: an edge triggers its target in the next superstep, so
    /// d runs after b (step 3, alongside c2) and again after c2 (step 4).
    /// </summary>
    [Test]
    public async Task FanIn_UnequalBranchesWithPlainEdges_TargetRunsOncePerArrival()
    {
        await using var g = Diamond(useJoin: false, longBranch: true).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b", "c1", "c2", "d", "d" }));
    }

    /// <summary>4. The same with a waiting edge (LangGraph's <c>add_edge(["b", "c2"], "d")</c>): d waits for both and runs once.</summary>
    [Test]
    public async Task FanIn_UnequalBranchesWithAJoin_TargetWaitsForBoth()
    {
        await using var g = Diamond(useJoin: true, longBranch: true).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b", "c1", "c2", "d" }));
    }

    /// <summary>5. Reducer order in a superstep. LangGraph applies a step's writes sorted by task path, i.e. by node name, not by finishing order.</summary>
    [Test]
    public async Task ParallelWrites_ReducedInNodeNameOrder()
    {
        var slowA = NewGate();
        await using var g = Trace()
            .AddNode("z", _ => { slowA.TrySetResult(); return Log("z"); })
            .AddNode("a", async _ => { await slowA.Task.ConfigureAwait(false); return Log("a"); })
            .AddEdge(StateGraph.Start, "z").AddEdge(StateGraph.Start, "a")
            .AddEdge("z", StateGraph.End).AddEdge("a", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "z" }));
    }

    /// <summary>6. A loop closed by a router. LangGraph: the conditional edge is evaluated after each superstep; END stops.</summary>
    [Test]
    public async Task Loop_RouterToEnd_StopsAfterThreeRounds()
    {
        await using var g = Loop().Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "i", "i", "i" }));
    }

    /// <summary>
    /// 7. Limits. LangGraph: three supersteps need <c>recursion_limit</c> 4 (it also counts the input step); 3 raises
    /// GraphRecursionError. Difference (named): StepLimit counts supersteps only, so the same runs take 3 and 2.
    /// </summary>
    [Test]
    public async Task Loop_StepLimit_IsLangGraphsRecursionLimitMinusOne()
    {
        await using var g = Loop().Compile();

        Assert.That(await g.InvokeAsync([], new RunOptions { StepLimit = 4 - 1 }).Bounded(), Has.Count.EqualTo(3));
        await Assert.ThrowsAsync<GraphRecursionLimitException>(async () => await g.InvokeAsync([], new RunOptions { StepLimit = 3 - 1 }).Bounded());
    }

    /// <summary>8. Send (map-reduce). LangGraph: each Send is its own task with its own argument; writes are applied in send order.</summary>
    [Test]
    public async Task Send_ThreeItems_WorkerRunsPerItemInSendOrder()
    {
        await using var g = Trace()
            .AddNode("plan", _ => Log("plan"))
            .AddWorker<int>("w", x => Log($"w{x}"))
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("w", 3), Send.To("w", 1), Send.To("w", 2)), "w")
            .AddEdge("w", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "plan", "w3", "w1", "w2" }));
    }

    /// <summary>9. Command. LangGraph: <c>Command(update=..., goto="c")</c> applies the update and routes to c (no static edge needed).</summary>
    [Test]
    public async Task Command_UpdateAndGoto_AppliesUpdateAndRoutes()
    {
        await using var g = Trace()
            .AddNode("a", _ => new Command<IReadOnlyList<string>>(Log("a"), "c"), new NodeOptions { Destinations = ["b", "c"] })
            .AddNode("b", _ => Log("b")).AddNode("c", _ => Log("c"))
            .AddEdge(StateGraph.Start, "a").AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End).Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "c" }));
    }

    /// <summary>10. Keyed last-value key written twice in one step. LangGraph: InvalidUpdateError (a LastValue channel takes one value per step).</summary>
    [Test]
    public async Task KeyedState_TwoWritesToALastValueKeyInOneStep_Fail()
    {
        var schema = new KeyedStateSchema().LastValue<string>("k");
        await using var g = schema.CreateGraph()
            .AddNode("a", _ => KeyedUpdate.Of("k", "a")).AddNode("b", _ => KeyedUpdate.Of("k", "b"))
            .AddEdge(StateGraph.Start, "a").AddEdge(StateGraph.Start, "b")
            .AddEdge("a", StateGraph.End).AddEdge("b", StateGraph.End).Compile();

        var e = await Assert.ThrowsAsync<InvalidUpdateException>(async () => await g.InvokeAsync(schema.CreateState()).Bounded());
        Assert.That(e!.Nodes, Is.EqualTo(new[] { "a", "b" }));
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Diamond(bool useJoin, bool longBranch)
    {
        var g = Trace().AddNode("a", _ => Log("a")).AddNode("b", _ => Log("b")).AddNode("d", _ => Log("d"))
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("d", StateGraph.End);
        var last = "c";
        if (longBranch)
        {
            g.AddNode("c1", _ => Log("c1")).AddNode("c2", _ => Log("c2")).AddEdge("a", "c1").AddEdge("c1", "c2");
            last = "c2";
        }
        else
        {
            g.AddNode("c", _ => Log("c")).AddEdge("a", "c");
        }

        return useJoin ? g.AddJoin(["b", last], "d") : g.AddEdge("b", "d").AddEdge(last, "d");
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Loop() =>
        Trace().AddNode("inc", _ => Log("i"))
            .AddEdge(StateGraph.Start, "inc")
            .AddConditionalEdges("inc", s => s.Count < 3 ? "inc" : StateGraph.End, "inc", StateGraph.End);
}
