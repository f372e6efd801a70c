using System.Collections.Concurrent;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Delegate nodes run concurrently across runs by default; factory nodes one task at a time per instance.</summary>
public class NodeParallelismTests
{
    [TestCase(false)]
    [TestCase(true)]
    [Repeat(10)]
    public async Task InvokeAsync_DelegateNodeByDefault_AllConcurrentRunsEnterItTogether(bool afterAnotherNode)
    {
        const int runs = 20;
        var inside = 0;
        var allInside = NewGate();
        var release = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("call service", async (int s, NodeContext _) =>
            {
                if (Interlocked.Increment(ref inside) == runs)
                {
                    allInside.TrySetResult();
                }

                await release.Task.WaitAsync(Wait);
                return s + 1;
            })
            .AddEdge("call service", StateGraph.End);
        graph = afterAnotherNode
            ? graph.AddNode("first", s => s).AddEdge(StateGraph.Start, "first").AddEdge("first", "call service")
            : graph.AddEdge(StateGraph.Start, "call service");
        await using var compiled = graph.Compile();

        var all = Enumerable.Range(0, runs).Select(i => compiled.InvokeAsync(i)).ToArray();
        await allInside.Task.Bounded();
        release.SetResult();

        Assert.That(await Task.WhenAll(all).Bounded(), Is.EqualTo(Enumerable.Range(1, runs)));
    }

    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_MapOfSends_RunsItsWorkersConcurrently()
    {
        const int items = 30;
        var inside = 0;
        var allInside = NewGate();
        var release = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddWorker<int>("w", async (int x, NodeContext _) =>
            {
                if (Interlocked.Increment(ref inside) == items)
                {
                    allInside.TrySetResult();
                }

                await release.Task.WaitAsync(Wait);
                return x;
            })
            .AddConditionalEdges(StateGraph.Start, s => Route.Sends(Enumerable.Range(1, items).Select(i => Send.To("w", i))), "w")
            .AddEdge("w", StateGraph.End);
        await using var compiled = graph.Compile();

        var run = compiled.InvokeAsync(0);
        await allInside.Task.Bounded();
        release.SetResult();

        Assert.That(await run.Bounded(), Is.EqualTo(items * (items + 1) / 2));
    }

    [Test]
    public async Task InvokeAsync_DelegateNodeCap_LimitsTasksAtOnce()
    {
        var inside = 0;
        var maxInside = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", async (int s, NodeContext _) =>
            {
                Support.Peak.Raise(ref maxInside, Interlocked.Increment(ref inside));
                await Task.Yield();
                Interlocked.Decrement(ref inside);
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { MaxNodeParallelism = 3 });

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => compiled.InvokeAsync(i))).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(1, 200)));
            Assert.That(maxInside, Is.LessThanOrEqualTo(3));
        });
    }

    [Test]
    [Repeat(5)]
    public async Task InvokeAsync_FactoryNodeWithParallelism_UsesAPoolOfInstancesEachOneTaskAtATime()
    {
        var created = new ConcurrentQueue<Counting>();
        var inside = 0;
        var fourInside = NewGate();
        var release = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", () =>
            {
                var node = new Counting(async () =>
                {
                    if (Interlocked.Increment(ref inside) == 4)
                    {
                        fourInside.TrySetResult();
                    }

                    await release.Task.WaitAsync(Wait);
                });
                created.Enqueue(node);
                return node;
            }, new NodeOptions { MaxParallelism = 4 })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile();

        var all = Enumerable.Range(0, 40).Select(i => compiled.InvokeAsync(i)).ToArray();
        await fourInside.Task.Bounded();
        release.SetResult();
        var results = await Task.WhenAll(all).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(1, 40)));
            Assert.That(created, Has.Count.EqualTo(4), "four tasks at once: four instances, reused");
            Assert.That(created.Select(c => c.MaxRunning), Is.All.EqualTo(1), "one task at a time per instance");
        });
    }

    private sealed class Counting(Func<Task> body) : INode<int, int>
    {
        private int running;

        public int MaxRunning { get; private set; }

        public async ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context)
        {
            var now = Interlocked.Increment(ref running);
            MaxRunning = Math.Max(MaxRunning, now);
            try
            {
                await body();
                return state + 1;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
