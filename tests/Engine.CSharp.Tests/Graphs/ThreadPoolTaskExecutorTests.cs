using System.Collections.Concurrent;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class ThreadPoolTaskExecutorTests
{
    [Test]
    public async Task Compile_WithExecutorFactory_DispatchesEveryTaskThroughIt()
    {
        var factory = new RecordingExecutorFactory();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("a", s => 1).AddNode("b", s => 10).AddNode("c", s => 100)
            .AddEdge(StateGraph.Start, "a").AddEdge(StateGraph.Start, "b").AddEdge("a", "c").AddEdge("b", "c").AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { ExecutorFactory = factory });

        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(111));
        Assert.That(factory.Dispatched, Is.EqualTo(new[] { "1:0:a", "1:1:b", "2:0:c" }));
    }

    [Test]
    public async Task RunTaskAsync_FactoryNodeWithoutExecutorInstance_UsesAFreshInstanceAndDisposesIt()
    {
        var instances = new ConcurrentBag<DisposableNode>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", () =>
            {
                var node = new DisposableNode();
                instances.Add(node);
                return node;
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { ExecutorFactory = new RecordingExecutorFactory() });

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
        Assert.That(await compiled.InvokeAsync(5).Bounded(), Is.EqualTo(6));
        Assert.That(instances.Select(i => i.Disposed), Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public async Task DisposeAsync_DisposesFactoryInstances()
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

    /// <summary>A minimal executor, as an actor executor would be: queue, then call RunTaskAsync.</summary>
    private sealed class RecordingExecutorFactory : ITaskExecutorFactory
    {
        public ConcurrentQueue<string> Dispatched { get; } = new();

        public ITaskExecutor<TState, TUpdate> Create<TState, TUpdate>(GraphModel<TState, TUpdate> model, GraphCompileOptions options) =>
            new Executor<TState, TUpdate>(Dispatched);

        private sealed class Executor<TState, TUpdate>(ConcurrentQueue<string> log) : ITaskExecutor<TState, TUpdate>
        {
            public void Dispatch(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task)
            {
                log.Enqueue($"{task.Step}:{task.Index}:{task.Node.Name}");
                var t = task;
                ThreadPool.QueueUserWorkItem(_ => _ = run.RunTaskAsync(t));
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class DisposableNode : INode<int, int>, IDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context) => new(state + 1);

        public void Dispose() => Disposed = true;
    }
}
