using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>fanout10-join on the engine (<see cref="EngineGraphs.FanoutJoin"/>), one run at a time; each run must end with 10.</summary>
public sealed class EngineFanoutJoin() : Workload(WorkloadNames.Fanout10Join, EngineImplementation, MeasureKind.PerRun)
{
    private CompiledGraph<int, int>? graph;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        graph = EngineGraphs.FanoutJoin();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            Check(await compiled.InvokeAsync(0, null, cancellationToken).ConfigureAwait(false), ActionBlockFanoutJoin.Branches);
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
