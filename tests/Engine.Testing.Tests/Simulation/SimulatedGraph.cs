using System.Collections.Concurrent;
using System.Numerics;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>
/// Builds a <see cref="GraphSpec"/> as a real graph whose nodes record their executions and pass await points (where a
/// cancel can strike), all on one <see cref="DeterministicScheduler"/>.
/// </summary>
public sealed class SimulatedGraph : IDisposable
{
    private readonly List<IDisposable> children = [];
    private int awaits;

    public SimulatedGraph(GraphSpec spec, DeterministicScheduler scheduler)
    {
        Spec = spec;
        Scheduler = scheduler;
    }

    public GraphSpec Spec { get; }

    public DeterministicScheduler Scheduler { get; }

    /// <summary>The task ids of the outer graph's node executions, in order.</summary>
    public ConcurrentQueue<string> Executions { get; } = new();

    /// <summary>Cancelled at await point <see cref="CancelAt"/>.</summary>
    public CancellationTokenSource? Cancel { get; set; }

    public int CancelAt { get; set; }

    public StateGraph<long, long> Build()
    {
        var spec = Spec;
        var graph = new StateGraph<long, long>(Reducers.Sum<long>());
        var joinSources = spec.Joins.ToHashSet();
        var routers = spec.Routers.Where(r => !spec.Children(r).Any(joinSources.Contains)).ToHashSet();
        for (var i = 0; i < spec.Nodes; i++)
        {
            var options = new NodeOptions { MaxParallelism = spec.Exclusive.Contains(i) ? 1 : NodeOptions.Auto };
            if (i == spec.Subgraph)
            {
                graph.AddSubgraph($"n{i}", Child(), _ => 0L, child => child, options);
                continue;
            }

            var bit = 1L << i;
            graph.AddNode($"n{i}", async (long _, NodeContext ctx) =>
            {
                Executions.Enqueue(ctx.TaskId);
                await AwaitPointAsync();
                return bit;
            }, options);
        }

        graph.AddEdge(StateGraph.Start, "n0");
        for (var i = 0; i < spec.Nodes; i++)
        {
            var node = $"n{i}";
            var targets = spec.Children(i).Where(c => !joinSources.Contains(c)).Select(c => $"n{c}").ToArray();
            if (routers.Contains(i) && targets.Length > 0)
            {
                graph.AddConditionalEdges(node, state => targets[BitOperations.PopCount((ulong)state) % targets.Length], targets);
            }
            else
            {
                foreach (var target in targets)
                {
                    graph.AddEdge(node, target);
                }
            }

            if (!spec.Children(i).Any() && i != spec.SendFrom)
            {
                graph.AddEdge(node, StateGraph.End);
            }
        }

        foreach (var join in joinSources)
        {
            graph.AddJoin(spec.Parents(join).Select(p => $"n{p}"), $"n{join}");
        }

        if (spec.SendFrom >= 0)
        {
            graph.AddWorker<int>("w", async (int arg, NodeContext ctx) =>
            {
                Executions.Enqueue(ctx.TaskId);
                await AwaitPointAsync();
                return 1L << (40 + arg);
            });
            var args = spec.SendArgs;
            graph.AddConditionalEdges($"n{spec.SendFrom}", _ => Route.Sends(args.Select(a => Send.To("w", a))), "w");
            graph.AddEdge("w", StateGraph.End);
        }

        return graph;
    }

    /// <summary>
    /// An await point (in a node or a store write): every one yields to the scheduler; at the chosen one the caller's
    /// cancel arrives while the code waits there (a piece of work of its own, as a cancel from another thread would).
    /// </summary>
    public async Task AwaitPointAsync()
    {
        if (Interlocked.Increment(ref awaits) == CancelAt && Cancel is { } cancel)
        {
            Scheduler.Post(static c => ((CancellationTokenSource)c!).Cancel(), cancel);
        }

        await Task.Yield();
    }

    private CompiledGraph<long, long> Child()
    {
        var child = new StateGraph<long, long>(Reducers.Sum<long>())
            .AddNode("c0", async (long _, NodeContext _) =>
            {
                await AwaitPointAsync();
                return 1L << 30;
            })
            .AddNode("c1", (long _) => 1L << 31)
            .AddEdge(StateGraph.Start, "c0")
            .AddEdge("c0", "c1")
            .AddEdge("c1", StateGraph.End);
        var test = GraphTest.Create(child, Scheduler);
        children.Add(test);
        return test.Compiled;
    }

    public void Dispose()
    {
        foreach (var child in children)
        {
            child.Dispose();
        }
    }
}
