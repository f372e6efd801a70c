using FsCheck;
using FsCheck.Fluent;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>FsCheck generators of random graphs and fault schedules; <see cref="Case"/> draws both from one seed, so a seed replays exactly.</summary>
public static class SimulationGen
{
    public static Gen<GraphSpec> Graphs { get; } =
        from nodes in Gen.Choose(2, 7)
        from parents in Gen.ListOf(Gen.Choose(0, 1000), nodes)
        from extra in Gen.ListOf(Gen.Choose(0, 1000), nodes)
        let edges = Edges(nodes, parents, extra)
        from routerPicks in Gen.SubListOf(Enumerable.Range(0, nodes).ToArray())
        from joinPicks in Gen.SubListOf(Enumerable.Range(1, nodes - 1).ToArray())
        from send in Gen.Choose(-1, nodes - 1)
        from args in Gen.Choose(1, 4)
        from subgraph in Gen.Choose(-2, nodes - 1)
        from exclusive in Gen.SubListOf(Enumerable.Range(0, nodes).ToArray())
        let spec = new GraphSpec(
            nodes,
            edges,
            [.. routerPicks.Where(n => edges.Count(e => e.From == n) >= 2)],
            [.. joinPicks.Where(n => edges.Count(e => e.To == n) >= 2)],
            send,
            [.. Enumerable.Range(0, send < 0 ? 0 : args)],
            subgraph < 0 ? -1 : subgraph,
            [.. exclusive])
        select spec;

    public static Gen<FaultPlan> Faults { get; } =
        from kind in Gen.Elements(FaultKind.None, FaultKind.CancelAtAwait, FaultKind.StoreWriteFails, FaultKind.CrashAfterPut)
        from at in Gen.Choose(1, 12)
        from yields in Gen.Choose(0, 3)
        from durability in Gen.Elements(CheckpointDurability.Async, CheckpointDurability.PerStepSync)
        from slow in Gen.Elements(false, true)
        select new FaultPlan(kind, at, yields, durability, slow);

    /// <summary>The graph and fault schedule of simulation case <paramref name="seed"/>.</summary>
    public static (GraphSpec Graph, FaultPlan Faults) Case(int seed)
    {
        var random = new Rnd((ulong)seed, 0x9E3779B97F4A7C15UL);
        var pair = from g in Graphs from f in Faults select (g, f);
        return Gen.Sample(pair, 10, random, 1)[0];
    }

    /// <summary>A DAG: node i &gt; 0 gets one parent below it, and maybe a second.</summary>
    private static List<(int From, int To)> Edges(int nodes, IReadOnlyList<int> parents, IReadOnlyList<int> extra)
    {
        var edges = new List<(int From, int To)>();
        for (var i = 1; i < nodes; i++)
        {
            edges.Add((parents[i] % i, i));
            if (extra[i] % 3 == 0 && i > 1)
            {
                var second = extra[i] / 3 % i;
                if (!edges.Contains((second, i)))
                {
                    edges.Add((second, i));
                }
            }
        }

        return edges;
    }
}
