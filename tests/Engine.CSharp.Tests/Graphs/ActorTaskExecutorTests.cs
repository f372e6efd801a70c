using Graph.Engine.Actors;
using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

public class ActorTaskExecutorTests
{
    [Test]
    public async Task Compile_WithActorSystem_SpawnsOneActorPerNodeAndDisposeStopsThem()
    {
        await using var system = new ActorSystem("s");
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("add one", s => s + 1)
            .AddNode("double", s => s * 2)
            .AddEdge(StateGraph.Start, "add one").AddEdge("add one", "double").AddEdge("double", StateGraph.End);

        var compiled = graph.Compile(new GraphCompileOptions { ActorSystem = system });
        var graphActor = system.Root.GetChildren().Single();
        var nodePaths = graphActor.GetChildren().Select(a => a.Path).ToList();
        var result = await compiled.InvokeAsync(3).Bounded();
        await compiled.DisposeAsync().AsTask().WaitAsync(TestGraphs.Wait);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(8));
            Assert.That(nodePaths, Is.EqualTo(new[] { $"{graphActor.Path}/add%20one", $"{graphActor.Path}/double" }));
            Assert.That(graphActor.Path, Does.StartWith("/s/graph-"));
            Assert.That(system.GetHealth().Actors, Is.Empty, "disposing the graph stops its node actors");
        });
    }

    [Test]
    public async Task InvokeAsync_NodeMailboxOfOne_BackPressuresConcurrentRunsAndAllComplete()
    {
        var gate = TestGraphs.NewGate();
        var firstEntered = TestGraphs.NewGate();
        var entered = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("slow", async (int s, NodeContext _) =>
            {
                Interlocked.Increment(ref entered);
                firstEntered.TrySetResult();
                await gate.Task.WaitAsync(TestGraphs.Wait);
                return s + 1;
            }, new NodeOptions { MailboxCapacity = 1, MaxParallelism = 1 })
            .AddNode("fast", s => s * 10)
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", "fast").AddEdge("fast", StateGraph.End);
        await using var compiled = graph.Compile();

        var runs = Enumerable.Range(0, 20).Select(i => Task.Run(() => compiled.InvokeAsync(i))).ToList();
        await firstEntered.Task.Bounded();
        Assert.That(Volatile.Read(ref entered), Is.EqualTo(1), "the first run holds the slow node");
        Assert.That(runs.Count(r => r.IsCompleted), Is.Zero, "runs queue behind the one slow task, none is lost");
        gate.SetResult();
        var results = await Task.WhenAll(runs).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (i + 1) * 10)));
            Assert.That(entered, Is.EqualTo(20));
        });
    }

    [Test]
    public async Task InvokeAsync_NodeWaitsSynchronouslyForANestedRunOfTheSameGraph_DoesNotDeadlock()
    {
        CompiledGraph<int, int>? self = null;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            // Deliberately blocking: the nested run's tasks must not be deferred behind this handler.
            .AddNode("outer", s => self!.InvokeAsync(1).GetAwaiter().GetResult() + 100)
            .AddNode("inner", s => s + 1)
            .AddEdge("outer", StateGraph.End)
            .AddEdge("inner", StateGraph.End)
            .AddConditionalEdges(StateGraph.Start, s => s == 0 ? "outer" : "inner", "outer", "inner");
        await using var compiled = graph.Compile();
        self = compiled;

        Assert.That(await Task.Run(() => compiled.InvokeAsync(0)).Bounded(), Is.EqualTo(102));
    }

    [Test]
    public async Task DisposeAsync_FactoryNode_DisposesItsInstance()
    {
        var instance = new DisposableNode();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", () => instance)
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        var compiled = graph.Compile();
        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));

        await compiled.DisposeAsync().AsTask().WaitAsync(TestGraphs.Wait);

        Assert.That(instance.Disposed, Is.True);
    }

    private sealed class DisposableNode : INode<int, int>, IDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context) => new(state + 1);

        public void Dispose() => Disposed = true;
    }
}
