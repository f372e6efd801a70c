using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>
/// A step is published once and its tasks claimed by whichever threads work on the run; a step of one task planned on
/// a thread that works on the run is handed to that thread.
/// </summary>
public class StepDispatchTests
{
    [Test]
    [Repeat(3)]
    public async Task InvokeAsync_BranchesBlockTheirThreadsUntilTheLastSiblingRuns_Finishes()
    {
        using var lastRan = new ManualResetEventSlim();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        foreach (var name in new[] { "a", "b" })
        {
            // Blocks its thread (no await): the sibling must be claimed by another thread (a helper the watchdog queues).
            graph.AddNode(name, s => lastRan.Wait(Wait) ? s + 1 : throw new TimeoutException($"'{name}' waited for 'c', which never ran."));
            graph.AddEdge(StateGraph.Start, name).AddEdge(name, StateGraph.End);
        }

        graph.AddNode("c", s =>
        {
            lastRan.Set();
            return s + 1;
        }).AddEdge(StateGraph.Start, "c").AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(0).WaitAsync(Wait * 2), Is.EqualTo(1));
    }

    [Test]
    [Repeat(5)]
    public async Task InvokeAsync_ManyConcurrentFanOutsAndMaps_EveryRunSumsItsOwnTasks()
    {
        const int runs = 200;
        const int items = 30;
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("src", s => 0)
            .AddWorker<int>("w", (int x, NodeContext _) => x)
            .AddNode("join", s => 0)
            .AddEdge(StateGraph.Start, "src")
            .AddConditionalEdges("src", s => Route.Sends(Enumerable.Range(1, items).Select(i => Send.To("w", i))), "w")
            .AddEdge("w", "join")
            .AddEdge("join", StateGraph.End);
        await using var compiled = graph.Compile();

        var results = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ => compiled.InvokeAsync(0))).Bounded();

        Assert.That(results, Is.All.EqualTo(items * (items + 1) / 2));
    }

    [Test]
    [Repeat(5)]
    public async Task InvokeAsync_ChainsBetweenFanOutsOnConcurrentRuns_EveryNodeRunsOncePerRun()
    {
        // Fan-outs queue helpers that may still be working on the run when the one-task steps after them are handed
        // to the planning thread; an asynchronous link moves the chain to another thread mid-way.
        const int runs = 200;
        var graph = new StateGraph<int, int>(Reducers.Sum<int>());
        foreach (var name in new[] { "a", "b1", "b2", "b3", "j1", "c1", "c3", "d1", "d2", "j2", "e" })
        {
            graph.AddNode(name, static _ => 1);
        }

        graph.AddNode("c2", async _ =>
        {
            await Task.Yield();
            return 1;
        });
        graph.AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b1").AddEdge("a", "b2").AddEdge("a", "b3").AddJoin(["b1", "b2", "b3"], "j1")
            .AddEdge("j1", "c1").AddEdge("c1", "c2").AddEdge("c2", "c3")
            .AddEdge("c3", "d1").AddEdge("c3", "d2").AddJoin(["d1", "d2"], "j2")
            .AddEdge("j2", "e").AddEdge("e", StateGraph.End);
        await using var compiled = graph.Compile();

        var results = await Task.WhenAll(Enumerable.Range(0, runs).Select(_ => Task.Run(() => compiled.InvokeAsync(0)))).Bounded();

        Assert.That(results, Is.All.EqualTo(12));
    }
}
