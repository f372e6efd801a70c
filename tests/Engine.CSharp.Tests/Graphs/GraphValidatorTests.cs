using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

public class GraphValidatorTests
{
    private static StateGraph<int, int> NewGraph() => new(Reducers.Replace<int>());

    private static IReadOnlyList<string> Errors(StateGraph<int, int> graph, GraphCompileOptions? options = null) =>
        Assert.Throws<GraphValidationException>(() => graph.Compile(options))!.Errors;

    [Test]
    public async Task Compile_ValidGraph_Succeeds()
    {
        await using var compiled = NewGraph().AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).Compile();
        Assert.That(compiled.NodeNames, Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void Compile_EdgeToUnknownNode_NamesTheEdge()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", "ghost").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[] { "Edge 'a' -> 'ghost': unknown target node 'ghost'." }));
    }

    [Test]
    public void Compile_EdgeFromUnknownNode_NamesTheEdge()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("ghost", "a").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[] { "Edge 'ghost' -> 'a': unknown source node 'ghost'." }));
    }

    [Test]
    public void Compile_EdgesFromEndOrToStart_AreRejected()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End)
            .AddEdge(StateGraph.End, "a").AddEdge("a", StateGraph.Start);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Edge '__end__' -> 'a': END cannot have outgoing edges.",
            "Edge 'a' -> '__start__': START cannot be the target of an edge.",
        }));
    }

    [Test]
    public void Compile_DuplicateNode_IsReportedOnce()
    {
        var g = NewGraph().AddNode("a", s => s).AddNode("a", s => s).AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[] { "Duplicate node 'a': node names must be unique." }));
    }

    [Test]
    public void Compile_ReservedOrEmptyName_IsRejected()
    {
        var g = NewGraph().AddNode(StateGraph.End, s => s).AddNode(" ", s => s).AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[] { "Node name '__end__' is reserved.", "A node name must not be empty or white space." }));
    }

    [Test]
    public void Compile_NoEntry_IsReported()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "The graph has no entry: add an edge or a conditional edge from StateGraph.Start (\"__start__\").",
            "Node 'a' is unreachable from START.",
        }));
    }

    [Test]
    public void Compile_UnreachableNode_IsReported()
    {
        var g = NewGraph().AddNode("a", s => s).AddNode("island", s => s)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).AddEdge("island", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[] { "Node 'island' is unreachable from START." }));
    }

    [Test]
    public void Compile_NodeWithoutOutgoingEdge_HasNoWayOut()
    {
        var g = NewGraph().AddNode("a", s => s).AddNode("b", s => s).AddEdge(StateGraph.Start, "a").AddEdge(StateGraph.Start, "b").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Node 'b' has no way out: add an edge from it (to the next node or to StateGraph.End), a conditional edge, or NodeOptions.Destinations for its commands.",
        }));
    }

    [Test]
    public void Compile_CycleWithoutExit_CanNeverReachEnd()
    {
        var g = NewGraph().AddNode("a", s => s).AddNode("b", s => s).AddNode("c", s => s)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).AddEdge(StateGraph.Start, "b").AddEdge("b", "c").AddEdge("c", "b");
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Node 'b' can never reach END: every path from it loops without an exit.",
            "Node 'c' can never reach END: every path from it loops without an exit.",
        }));
    }

    [Test]
    public void Compile_ConditionalEdgeProblems_AreEachReported()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End)
            .AddConditionalEdges("a", _ => Route.End)
            .AddConditionalEdges("a", _ => Route.End, "ghost", StateGraph.Start)
            .AddConditionalEdges("nobody", _ => Route.End, StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Conditional edge from 'a': unknown target node 'ghost'.",
            "Conditional edge from 'a': START cannot be a target.",
            "Conditional edge from 'nobody': unknown source node 'nobody'.",
        }));
    }

    [Test]
    public void Compile_WorkerReachedByPlainEdge_IsRejected()
    {
        var g = NewGraph().AddNode("a", s => s).AddWorker<int>("w", x => x)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "w").AddConditionalEdges("a", _ => Route.End, "w", StateGraph.End).AddEdge("w", StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Edge 'a' -> 'w': 'w' is a worker node; it can only be reached by a Send from a router or command.",
        }));
    }

    [Test]
    public void Compile_JoinOverUnknownOrUnreachableSources_CanNeverFire()
    {
        var g = NewGraph().AddNode("a", s => s).AddNode("orphan", s => s).AddNode("t", s => s)
            .AddEdge(StateGraph.Start, "a").AddEdge("t", StateGraph.End).AddEdge("orphan", StateGraph.End)
            .AddJoin(["a", "orphan"], "t")
            .AddJoin(["a", "ghost", "a"], "t");
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Join [a, ghost, a] -> 't': source 'a' is listed more than once.",
            "Join [a, ghost, a] -> 't': unknown source node 'ghost'.",
            "Node 'orphan' is unreachable from START.",
            "Node 't' is unreachable from START.",
            "Join [a, orphan] -> 't' can never fire: source 'orphan' is unreachable from START.",
        }));
    }

    [Test]
    public void Compile_JoinIntoWorkerOrEnd_IsRejected()
    {
        var g = NewGraph().AddNode("a", s => s).AddWorker<int>("w", x => x)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End).AddConditionalEdges(StateGraph.Start, _ => Route.End, "w", StateGraph.End).AddEdge("w", StateGraph.End)
            .AddJoin(["a"], "w").AddJoin(["a"], StateGraph.End);
        Assert.That(Errors(g), Is.EqualTo(new[]
        {
            "Join [a] -> 'w': 'w' is a worker node; it can only be reached by a Send.",
            "Join [a] -> '__end__': the target must be a node, not '__end__'.",
        }));
    }

    [Test]
    public void Compile_UnknownCommandDestination_IsReported()
    {
        var g = NewGraph().AddNode("a", (s, _) => s, new NodeOptions { Destinations = ["ghost", StateGraph.End] }).AddEdge(StateGraph.Start, "a");
        Assert.That(Errors(g), Is.EqualTo(new[] { "Node 'a': unknown command destination 'ghost'." }));
    }

    [Test]
    public void Compile_InvalidOptions_NameTheBadValue()
    {
        var options = new NodeOptions
        {
            MaxParallelism = -5,
            MailboxCapacity = 0,
            Timeout = TimeSpan.Zero,
            Retry = new RetryPolicy { MaxAttempts = 0 },
            ResiliencePipeline = Polly.ResiliencePipeline.Empty,
        };
        var g = NewGraph().AddNode("a", s => s, options).AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        Assert.That(Errors(g, new GraphCompileOptions { StepLimit = 0, MaxNodeParallelism = 0 }), Is.EqualTo(new[]
        {
            "StepLimit must be at least 1 (was 0).",
            "MaxNodeParallelism must be positive or NodeOptions.Unbounded (was 0).",
            "Node 'a': MaxParallelism must be positive, NodeOptions.Auto or NodeOptions.Unbounded (was -5).",
            "Node 'a': MailboxCapacity must be at least 1 (was 0).",
            "Node 'a': Timeout must be positive (was 00:00:00).",
            "Node 'a': set either Retry or ResiliencePipeline, not both.",
            "Node 'a': RetryPolicy.MaxAttempts must be at least 1 (was 0).",
        }));
    }

    [Test]
    public void Compile_SeveralProblems_ExceptionMessageListsEachOnItsOwnLine()
    {
        var g = NewGraph().AddNode("a", s => s).AddEdge("a", "ghost");
        var ex = Assert.Throws<GraphValidationException>(() => g.Compile());
        Assert.That(ex!.Message, Is.EqualTo(string.Join(
            Environment.NewLine,
            "The graph is invalid (4 problems):",
            "- Edge 'a' -> 'ghost': unknown target node 'ghost'.",
            "- The graph has no entry: add an edge or a conditional edge from StateGraph.Start (\"__start__\").",
            "- Node 'a' is unreachable from START.",
            "- Node 'a' has no way out: add an edge from it (to the next node or to StateGraph.End), a conditional edge, or NodeOptions.Destinations for its commands.")));
    }
}
