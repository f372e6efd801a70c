using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>mapreduce100 on the engine (<see cref="EngineGraphs.MapReduce"/>), one run at a time; each run must end with 9,900.</summary>
/// <param name="mapOptions">Options of the <c>map</c> worker; null (the workload as registered) for the defaults. For experiments.</param>
public sealed class EngineMapReduce(NodeOptions? mapOptions = null) : Workload(WorkloadNames.MapReduce100, EngineImplementation, MeasureKind.PerRun)
{
    private CompiledGraph<int, int>? graph;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        graph = EngineGraphs.MapReduce(mapOptions);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            Check(await compiled.InvokeAsync(0, null, cancellationToken).ConfigureAwait(false), ActionBlockMapReduce.ExpectedSum);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (graph is not null)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }
    }
}
