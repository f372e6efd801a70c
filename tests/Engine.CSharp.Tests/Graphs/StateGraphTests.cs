using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class StateGraphTests
{
    [Test]
    public async Task InvokeAsync_Chain_RunsEachNodeOnceInOrder()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        for (var i = 0; i < 10; i++)
        {
            graph.AddNode($"n{i}", s => s + 1);
            graph.AddEdge(i == 0 ? StateGraph.Start : $"n{i - 1}", $"n{i}");
        }

        graph.AddEdge("n9", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(5).Bounded(), Is.EqualTo(15));
    }

    [Test]
    public async Task InvokeAsync_CycleWithConditionalExit_LoopsUntilRouterReturnsEnd()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("inc", s => s + 1)
            .AddEdge(StateGraph.Start, "inc")
            .AddConditionalEdges("inc", s => s < 7 ? "inc" : Route.End, "inc", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(7));
    }

    [Test]
    public async Task InvokeAsync_FanOutAndJoinWithBranchesOfDifferentLengths_JoinRunsOnceAfterAll()
    {
        var graph = Trace()
            .AddNode("src", _ => Log("src"))
            .AddNode("a", _ => Log("a"))
            .AddNode("b1", _ => Log("b1"))
            .AddNode("b2", _ => Log("b2"))
            .AddNode("c", _ => Log("c"))
            .AddNode("join", s => Log($"join saw {s.Count}"))
            .AddEdge(StateGraph.Start, "src")
            .AddEdge("src", "a")
            .AddEdge("src", "b1")
            .AddEdge("src", "c")
            .AddEdge("b1", "b2")
            .AddJoin(["a", "b2", "c"], "join")
            .AddEdge("join", StateGraph.End);
        await using var compiled = graph.Compile();

        var result = await compiled.InvokeAsync([]).Bounded();

        Assert.That(result, Is.EqualTo(new[] { "src", "a", "b1", "c", "b2", "join saw 5" }));
    }

    [Test]
    public async Task InvokeAsync_SeparateEdgesFromDifferentSteps_TriggerTargetTwiceWhereJoinTriggersOnce()
    {
        static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Build(bool join)
        {
            var g = Trace()
                .AddNode("a", _ => Log("a"))
                .AddNode("b1", _ => Log("b1"))
                .AddNode("b2", _ => Log("b2"))
                .AddNode("t", _ => Log("t"))
                .AddEdge(StateGraph.Start, "a")
                .AddEdge(StateGraph.Start, "b1")
                .AddEdge("b1", "b2")
                .AddEdge("t", StateGraph.End);
            return join ? g.AddJoin(["a", "b2"], "t") : g.AddEdge("a", "t").AddEdge("b2", "t");
        }

        await using var edges = Build(join: false).Compile();
        await using var joined = Build(join: true).Compile();

        Assert.That(await edges.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b1", "b2", "t", "t" }));
        Assert.That(await joined.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b1", "b2", "t" }));
    }

    [Test]
    public async Task InvokeAsync_EdgesFromNodesOfTheSameStep_TriggerTargetOnce()
    {
        var graph = Trace()
            .AddNode("a", _ => Log("a"))
            .AddNode("b", _ => Log("b"))
            .AddNode("t", _ => Log("t"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge(StateGraph.Start, "b")
            .AddEdge("a", "t")
            .AddEdge("b", "t")
            .AddEdge("t", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "a", "b", "t" }));
    }

    [Test]
    public async Task InvokeAsync_SendMapReduce_RunsOneWorkerTaskPerItemAndSums()
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddWorker<int>("double", x => x * 2)
            .AddNode("done", s => 1000)
            .AddConditionalEdges(StateGraph.Start, _ => Route.Sends(Enumerable.Range(1, 100).Select(i => Send.To("double", i))), "double")
            .AddEdge("double", "done")
            .AddEdge("done", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo((100 * 101) + 1000));
    }

    [Test]
    public async Task InvokeAsync_SendTasks_AreReducedAfterTriggeredNodesInSendOrder()
    {
        var graph = Trace()
            .AddNode("z", _ => Log("z"))
            .AddWorker<string>("w", x => Log("w:" + x), new NodeOptions { MaxParallelism = NodeOptions.Unbounded })
            .AddEdge(StateGraph.Start, "z")
            .AddConditionalEdges(StateGraph.Start, _ => Route.Sends(Send.To("w", "3"), Send.To("w", "1"), Send.To("w", "2")), "w")
            .AddEdge("z", StateGraph.End)
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "z", "w:3", "w:1", "w:2" }));
    }

    [Test]
    public async Task InvokeAsync_CommandGoto_RunsTheTargetsAndAppliesTheUpdate()
    {
        var graph = Trace()
            .AddNode("decide", (s, _) => new Command<IReadOnlyList<string>>(Log("decide"), Route.To("right", "left")), new NodeOptions { Destinations = ["left", "right"] })
            .AddNode("left", _ => Log("left"))
            .AddNode("right", _ => Log("right"))
            .AddEdge(StateGraph.Start, "decide")
            .AddEdge("left", StateGraph.End)
            .AddEdge("right", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "decide", "left", "right" }));
    }

    [Test]
    public async Task InvokeAsync_CommandToUndeclaredDestination_FailsWithInvalidRoute()
    {
        var graph = Trace()
            .AddNode("decide", (s, _) => Command<IReadOnlyList<string>>.GotoOnly("right"), new NodeOptions { Destinations = ["left"] })
            .AddNode("left", _ => Log("left"))
            .AddNode("right", _ => Log("right"))
            .AddEdge(StateGraph.Start, "decide")
            .AddEdge(StateGraph.Start, "right")
            .AddEdge("left", StateGraph.End)
            .AddEdge("right", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync([]).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("The router or command of node 'decide' returned 'right', which is not among its declared targets [left]."));
    }

    [Test]
    public async Task InvokeAsync_RouterReturnsUndeclaredTarget_FailsNamingSourceTargetAndDeclaredList()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s => s + 1)
            .AddNode("c", s => s + 1)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge(StateGraph.Start, "c")
            .AddConditionalEdges("a", _ => "c", "b", StateGraph.End)
            .AddEdge("b", StateGraph.End)
            .AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<InvalidRouteException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.Message, Is.EqualTo("The router or command of node 'a' returned 'c', which is not among its declared targets [b, __end__]."));
        Assert.That(ex.SourceNode, Is.EqualTo("a"));
        Assert.That(ex.Target, Is.EqualTo("c"));
        Assert.That(ex.DeclaredTargets, Is.EqualTo(new[] { "b", StateGraph.End }));
    }

    [Test]
    public async Task InvokeAsync_EndlessCycle_FailsWithRecursionLimitAtTheConfiguredStep()
    {
        var steps = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("loop", s =>
            {
                Interlocked.Increment(ref steps);
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "loop")
            .AddConditionalEdges("loop", _ => "loop", "loop", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<GraphRecursionLimitException>(() => compiled.InvokeAsync(0).Bounded());
        Assert.That(ex!.StepLimit, Is.EqualTo(25));
        Assert.That(steps, Is.EqualTo(25));
        Assert.That(ex.Message, Does.StartWith("The run reached its step limit of 25 without ending; the next step would run [loop]."));

        var exact = await Assert.ThrowsAsync<GraphRecursionLimitException>(() => compiled.InvokeAsync(0, new RunOptions { StepLimit = 3 }).Bounded());
        Assert.That(exact!.StepLimit, Is.EqualTo(3));
    }

    [Test]
    public async Task InvokeAsync_ChainOfExactlyTheStepLimit_Succeeds()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1).AddNode("b", s => s + 1).AddNode("c", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", "c").AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { StepLimit = 3 });

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(3));
        await Assert.ThrowsAsync<GraphRecursionLimitException>(() => compiled.InvokeAsync(0, new RunOptions { StepLimit = 2 }).Bounded());
    }

    [Test]
    public async Task InvokeAsync_Subgraph_MapsParentStateInAndChildStateOut()
    {
        var child = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("x10", s => s * 10)
            .AddNode("plus1", s => s + 1)
            .AddEdge(StateGraph.Start, "x10").AddEdge("x10", "plus1").AddEdge("plus1", StateGraph.End);
        await using var compiledChild = child.Compile();
        var parent = Trace()
            .AddNode("first", _ => Log("3"))
            .AddSubgraph("sub", compiledChild, s => int.Parse(s[^1], System.Globalization.CultureInfo.InvariantCulture), r => Log($"child {r}"))
            .AddEdge(StateGraph.Start, "first").AddEdge("first", "sub").AddEdge("sub", StateGraph.End);
        await using var compiled = parent.Compile();

        Assert.That(await compiled.InvokeAsync([]).Bounded(), Is.EqualTo(new[] { "3", "child 31" }));
    }

    [Test]
    public async Task InvokeAsync_NodeBlockingSynchronouslyOnAnotherGraph_DoesNotDeadlock()
    {
        var inner = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("x", s => s + 1).AddNode("y", s => s + 1)
            .AddEdge(StateGraph.Start, "x").AddEdge("x", "y").AddEdge("y", StateGraph.End);
        await using var compiledInner = inner.Compile();
        var outer = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("first", s => s + 1)
            .AddNode("blocking", s => compiledInner.InvokeAsync(s).WaitAsync(Wait).GetAwaiter().GetResult())
            .AddEdge(StateGraph.Start, "first").AddEdge("first", "blocking").AddEdge("blocking", StateGraph.End);
        await using var compiled = outer.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(3));
    }

    [Test]
    public async Task InvokeAsync_FactoryNode_UsesOneInstanceAndReplacesItAfterAFailure()
    {
        var created = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("counter", () => new CountingNode(Interlocked.Increment(ref created)))
            .AddEdge(StateGraph.Start, "counter").AddEdge("counter", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(1001));
        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(1002));
        await Assert.ThrowsAsync<NodeFailedException>(() => compiled.InvokeAsync(-1).Bounded());
        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(2001));
        Assert.That(created, Is.EqualTo(2));
    }

    private sealed class CountingNode(int instance) : INode<int, int>
    {
        private int calls;

        public ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context)
        {
            if (state < 0)
            {
                throw new InvalidOperationException("negative");
            }

            return new ValueTask<NodeResult<int>>((instance * 1000) + ++calls);
        }
    }
}
