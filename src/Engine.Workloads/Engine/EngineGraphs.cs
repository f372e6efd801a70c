using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// Builds the graphs of the graph workloads of PERFORMANCE.md with the public graph API, so every engine workload (and
/// every test of one) runs the very same shape.
/// </summary>
public static class EngineGraphs
{
    /// <summary>The name of the fan-out source node of fanout10-join.</summary>
    public const string Source = "src";

    /// <summary>The name of the join node of fanout10-join.</summary>
    public const string Join = "join";

    /// <summary>The name of the worker of mapreduce100.</summary>
    public const string Map = "map";

    /// <summary>The name of the final node of mapreduce100.</summary>
    public const string Done = "done";

    /// <summary>The sends of mapreduce100: item i goes to <see cref="Map"/>, for i in 0..99 (built once, as a user would hold them).</summary>
    private static readonly Send[] MapSends = [.. Enumerable.Range(0, ActionBlockMapReduce.Items).Select(i => Send.To(Map, i))];

    /// <summary>The name of the i-th node (0-based) of a chain: n000, n001, ...</summary>
    /// <param name="index">The position in the chain.</param>
    /// <returns>The node name.</returns>
    public static string ChainNode(int index) => $"n{index:D3}";

    /// <summary>
    /// chainN: START -> n000 -> ... -> n(N-1) -> END, each node returning state + 1 into the replace reducer, so a run
    /// from 0 ends with N. The step limit is raised to N when N exceeds the default of 25 (chain100 has 100 steps).
    /// </summary>
    /// <param name="length">The number of nodes: 1, 10 or 100.</param>
    /// <param name="options">Compile options to start from (checkpointer, executor); null for the defaults.</param>
    /// <param name="nodeOptions">Options of every node; null for the defaults (<see cref="NodeOptions.MaxParallelism"/> <see cref="NodeOptions.Auto"/>: delegate nodes run concurrently across runs), as the workload is defined.</param>
    /// <returns>The compiled graph; dispose it.</returns>
    public static CompiledGraph<int, int> Chain(int length, GraphCompileOptions? options = null, NodeOptions? nodeOptions = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        for (var i = 0; i < length; i++)
        {
            graph.AddNode(ChainNode(i), static s => s + 1, nodeOptions);
            graph.AddEdge(i == 0 ? StateGraph.Start : ChainNode(i - 1), ChainNode(i));
        }

        graph.AddEdge(ChainNode(length - 1), StateGraph.End);
        options ??= GraphCompileOptions.Default;
        return graph.Compile(options with { StepLimit = Math.Max(options.StepLimit, length) });
    }

    /// <summary>
    /// fanout10-join: START -> src -> b0..b9 (each returns 1 into the summing reducer) -> join (waits for all 10,
    /// returns 0) -> END. A run from 0 ends with 10; it takes 3 steps and 12 tasks.
    /// </summary>
    /// <returns>The compiled graph; dispose it.</returns>
    public static CompiledGraph<int, int> FanoutJoin()
    {
        var branches = Enumerable.Range(0, ActionBlockFanoutJoin.Branches).Select(i => $"b{i}").ToArray();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode(Source, static _ => 0)
            .AddNode(Join, static _ => 0)
            .AddEdge(StateGraph.Start, Source)
            .AddJoin(branches, Join)
            .AddEdge(Join, StateGraph.End);
        foreach (var branch in branches)
        {
            graph.AddNode(branch, static _ => 1).AddEdge(Source, branch);
        }

        return graph.Compile();
    }

    /// <summary>
    /// mapreduce100: START's router sends items 0..99 to the worker <c>map</c>, which returns item*2 into the summing
    /// reducer; then <c>done</c> (returns 0) -> END. A run from 0 ends with 9,900; it takes 2 steps and 101 tasks.
    /// </summary>
    /// <param name="mapOptions">Options of the worker; null for the defaults (<see cref="NodeOptions.MaxParallelism"/> <see cref="NodeOptions.Auto"/>: up to
    /// <see cref="GraphCompileOptions.MaxNodeParallelism"/> tasks at once), <c>MaxParallelism = 1</c> like the baseline's single map block,
    /// <see cref="NodeOptions.Unbounded"/> parallelism to let the 100 tasks run at once.</param>
    /// <returns>The compiled graph; dispose it.</returns>
    public static CompiledGraph<int, int> MapReduce(NodeOptions? mapOptions = null) =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddWorker<int>(Map, static item => item * 2, mapOptions)
            .AddNode(Done, static _ => 0)
            .AddConditionalEdges(StateGraph.Start, static _ => Route.Sends(MapSends), Map)
            .AddEdge(Map, Done)
            .AddEdge(Done, StateGraph.End)
            .Compile();
}
