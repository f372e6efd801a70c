using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>Send to any node.</summary>
public sealed partial class LangGraphConformanceTests
{
    /// <summary>
    /// 27. Send to a state node. LangGraph: <c>Send("node", arg)</c> may target any node; that task reads <c>arg</c> as
    /// its state instead of the graph's state, one task per send, writes applied in send order.
    /// </summary>
    [Test]
    public async Task Send_ToAStateNode_EachTaskReadsItsArgumentAsState()
    {
        await using var g = SendToStateNode().Compile();

        Assert.That(await g.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "plan", "count2", "count1" }));
    }

    /// <summary>28. A send to a node the graph does not have fails the run, naming the sending node and the target.</summary>
    [Test]
    public async Task Send_ToAnUnknownNode_FailsNamingSourceAndTarget()
    {
        await using var g = Trace().AddNode("plan", _ => Log("plan"))
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("ghost", 1))).Compile();

        var e = await Assert.ThrowsAsync<InvalidRouteException>(async () => await g.InvokeAsync([]).Bounded());
        Assert.Multiple(() =>
        {
            Assert.That(e!.SourceNode, Is.EqualTo("plan"));
            Assert.That(e.Target, Is.EqualTo("ghost"));
            Assert.That(e.Message, Does.Contain("'plan'").And.Contain("'ghost'").And.Contain("not a node"));
        });
    }

    /// <summary>29. A send to a state node must carry a state: anything else fails the run saying what the node reads.</summary>
    [Test]
    public async Task Send_ToAStateNodeWithAnotherType_FailsNamingTheStateType()
    {
        await using var g = Trace().AddNode("plan", _ => Log("plan")).AddNode("b", _ => Log("b"))
            .AddEdge(StateGraph.Start, "plan").AddEdge("b", StateGraph.End)
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("b", 42)), "b").Compile();

        var e = await Assert.ThrowsAsync<InvalidRouteException>(async () => await g.InvokeAsync([]).Bounded());
        Assert.That(e!.Message, Does.Contain("Int32").And.Contain("'b'").And.Contain("reads the state"));
    }

    /// <summary>30. A send to a state node is checkpointed with its argument: an interrupt beside it resumes with the same input.</summary>
    [Test]
    public async Task Send_ToAStateNodeInterrupted_ResumesWithTheSameArgument()
    {
        var runs = 0;
        await using var g = Trace()
            .AddNode("plan", _ => Log("plan"))
            .AddNode("count", (s, ctx) => { Interlocked.Increment(ref runs); return Log($"count{s.Count}:" + ctx.Interrupt<string>("ok?")); })
            .AddEdge(StateGraph.Start, "plan").AddEdge("count", StateGraph.End)
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("count", (IReadOnlyList<string>)["x", "y", "z"])), "count")
            .Compile(checkpointer: new InMemoryCheckpointer());

        await g.RunAsync([], OnT).Bounded();
        var done = await g.ResumeAsync("t", Resume.With("ok")).Bounded();

        Assert.That(done.State, Is.EqualTo(new[] { "plan", "count3:ok" }));
        Assert.That(runs, Is.EqualTo(2));
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> SendToStateNode() =>
        Trace()
            .AddNode("plan", _ => Log("plan"))
            .AddNode("count", s => Log($"count{s.Count}"))
            .AddEdge(StateGraph.Start, "plan").AddEdge("count", StateGraph.End)
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("count", (IReadOnlyList<string>)["a", "b"]), Send.To("count", (IReadOnlyList<string>)["c"])), "count");
}
