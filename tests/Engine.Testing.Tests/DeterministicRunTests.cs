using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

public class DeterministicRunTests
{
    /// <summary>A fan-out of five concurrent nodes that append their names to a list state.</summary>
    private static StateGraph<List<string>, string> FanOut()
    {
        var graph = new StateGraph<List<string>, string>((state, update) => [.. state, update]);
        var names = new[] { "a", "b", "c", "d", "e" };
        foreach (var name in names)
        {
            graph.AddNode(name, async (List<string> _, NodeContext ctx) =>
            {
                await Task.Yield(); // a continuation the scheduler orders
                return ctx.Node;
            });
            graph.AddEdge(StateGraph.Start, name);
            graph.AddEdge(name, StateGraph.End);
        }

        return graph;
    }

    private static IReadOnlyList<string> TraceOf(int seed)
    {
        using var test = GraphTest.Create(FanOut(), seed);
        test.Run([]).ShouldRunSteps("a, b, c, d, e");
        return test.Scheduler.Trace;
    }

    [Test]
    public void Run_SameSeed_SameTaskOrder()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var first = TraceOf(seed);
            Assert.That(TraceOf(seed), Is.EqualTo(first), $"seed {seed}");
        }
    }

    [Test]
    public void Run_DifferentSeeds_DifferentTaskOrders()
    {
        var orders = Enumerable.Range(0, 20).Select(seed => string.Join(" ", TraceOf(seed))).Distinct().Count();
        Assert.That(orders, Is.GreaterThan(5), "20 seeds should give many of the 120 orders of five tasks");
    }

    [Test]
    public void Run_UpdatesAppliedInPlannedOrder_WhateverTheTaskOrder()
    {
        for (var seed = 0; seed < 10; seed++)
        {
            using var test = GraphTest.Create(FanOut(), seed);
            test.Run([]).ShouldFinishWith(["a", "b", "c", "d", "e"]);
        }
    }

    [Test]
    public void Run_NodeWaitsAnHour_ClockJumpsInsteadOfWaiting()
    {
        var clock = new SimulatedClock();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("slow", async (int _, NodeContext _) =>
            {
                await Task.Delay(TimeSpan.FromHours(1), clock).ConfigureAwait(false);
                return 1;
            })
            .AddEdge(StateGraph.Start, "slow")
            .AddEdge("slow", StateGraph.End);
        using var test = GraphTest.Create(graph, clock: clock);
        test.Run(0).ShouldFinishWith(1);
        Assert.That(test.Clock.Elapsed, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void Run_RunTimeoutBeforeSlowNode_FailsWithTimeoutAtTheTimeout()
    {
        var clock = new SimulatedClock();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("slow", async (int _, NodeContext ctx) =>
            {
                await Task.Delay(TimeSpan.FromHours(1), clock, ctx.CancellationToken).ConfigureAwait(false);
                return 1;
            })
            .AddEdge(StateGraph.Start, "slow")
            .AddEdge("slow", StateGraph.End);
        using var test = GraphTest.Create(graph, seed: 3, clock: clock);
        var run = test.Run(0, new RunOptions { Timeout = TimeSpan.FromMinutes(5) });
        run.ShouldFailWith<TimeoutException>();
        Assert.That(test.Clock.Elapsed, Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public void Run_RetryBackoff_TakesFakeTimeOnly()
    {
        var attempts = 0;
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("flaky", (int _) => ++attempts < 3 ? throw new InvalidOperationException("flaky") : 10, new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(30), BackoffFactor = 1, MaxDelay = TimeSpan.FromSeconds(30), Jitter = false } })
            .AddEdge(StateGraph.Start, "flaky")
            .AddEdge("flaky", StateGraph.End);
        using var test = GraphTest.Create(graph);
        test.Run(0).ShouldFinishWith(10);
        Assert.That(attempts, Is.EqualTo(3));
        Assert.That(test.Clock.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(60)));
    }
}
