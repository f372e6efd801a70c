using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Bad values a graph's code hands the engine at run time fail the run with an exception naming them.</summary>
public class RunTimeValueTests
{
    [Test]
    public async Task InvokeAsync_NodeReturnsNullUpdateToAppend_FailsNamingRunNodeAndStep()
    {
        var graph = new StateGraph<IReadOnlyList<string>, IReadOnlyList<string>>(Reducers.Append<string>())
            .AddNode("fine", s => ["x"])
            .AddNode("broken", s => null!)
            .AddEdge(StateGraph.Start, "fine").AddEdge("fine", "broken").AddEdge("broken", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidUpdateException>(() => compiled.InvokeAsync([], new RunOptions { RunId = "r" }).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.StartWith("Run 'r': node(s) 'broken' returned a null update in step 2"));
            Assert.That(ex.Nodes, Is.EqualTo(new[] { "broken" }));
            Assert.That(ex.InnerException, Is.TypeOf<NullReferenceException>().Or.TypeOf<ArgumentNullException>());
        });
    }

    [Test]
    public async Task InvokeAsync_NodeReturnsNullUpdateToMerge_FailsNamingTheNode()
    {
        var graph = new StateGraph<IReadOnlyDictionary<string, int>, IReadOnlyDictionary<string, int>>(Reducers.Merge<string, int>())
            .AddNode("broken", s => null!)
            .AddEdge(StateGraph.Start, "broken").AddEdge("broken", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidUpdateException>(() => compiled.InvokeAsync(new Dictionary<string, int>(), new RunOptions { RunId = "m" }).Bounded());

        Assert.That(ex!.Message, Does.StartWith("Run 'm': node(s) 'broken' returned a null update in step 1"));
    }

    [Test]
    public async Task InvokeAsync_NullUpdateToAReducerThatTakesIt_IsApplied()
    {
        var graph = new StateGraph<string?, string?>(Reducers.Replace<string?>())
            .AddNode("clear", s => null)
            .AddEdge(StateGraph.Start, "clear").AddEdge("clear", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync("x").Bounded(), Is.Null);
    }

    [Test]
    public async Task InvokeAsync_RouterReturnsNull_FailsNamingRunNodeAndStep()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s => s)
            .AddConditionalEdges("a", s => (string)null!, "b", StateGraph.End)
            .AddEdge(StateGraph.Start, "a").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0, new RunOptions { RunId = "r" }).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("Run 'r': the router or command of node 'a' returned null instead of a route after step 1; return Route.End to end the branch."));
            Assert.That(ex.SourceNode, Is.EqualTo("a"));
        });
    }

    [Test]
    public async Task InvokeAsync_RouterReturnsDefaultRouteWithoutDeclaringEnd_FailsNamingIt()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s => s)
            .AddConditionalEdges("a", s => default, "b")
            .AddEdge(StateGraph.Start, "a").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0, new RunOptions { RunId = "r" }).Bounded());

        Assert.That(ex!.Message, Is.EqualTo("Run 'r': the router or command of node 'a' returned default(Route), which goes nowhere after step 1; return Route.End and declare END among its targets [b], or route somewhere."));
    }

    [Test]
    public async Task InvokeAsync_RouterReturnsDefaultRouteWithEndDeclared_EndsTheBranch()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s => s * 100)
            .AddConditionalEdges("a", s => default, "b", StateGraph.End)
            .AddEdge(StateGraph.Start, "a").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
    }

    [Test]
    public async Task InvokeAsync_FactoryReturnsNull_FailsNamingRunNodeAndStep()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("made", () => null!)
            .AddEdge(StateGraph.Start, "made").AddEdge("made", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => compiled.InvokeAsync(0, new RunOptions { RunId = "r" }).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Node, Is.EqualTo("made"));
            Assert.That(ex.InnerException!.Message, Is.EqualTo("Run 'r': the factory of node 'made' returned null in step 1; it must return an instance."));
        });
    }
}
