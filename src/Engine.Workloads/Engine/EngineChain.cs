using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// chain1, chain10, chain100 and chain10-x1000 on the engine: <see cref="EngineGraphs.Chain"/> invoked with
/// <see cref="CompiledGraph{TState, TUpdate}.InvokeAsync(TState, RunOptions?, CancellationToken)"/>, checking every run's result.
/// </summary>
/// <remarks>
/// With <paramref name="concurrentRuns"/> of 1 runs are invoked one at a time; with 1000 (chain10-x1000) an iteration
/// starts 1000 runs at once and awaits them together, as the hand-wired <see cref="ActionBlockChain"/> does.
/// One run is <paramref name="length"/> steps of one task each, so bytes per step is bytes/run divided by the length.
/// </remarks>
/// <param name="length">Number of nodes: 1, 10 or 100.</param>
/// <param name="concurrentRuns">Runs started at once per iteration: 1, or <see cref="BaselineNames.ConcurrentRuns"/>.</param>
/// <param name="nodeOptions">Options of every node; null (the workload as defined) for the defaults. For experiments.</param>
public sealed class EngineChain(int length, int concurrentRuns = 1, NodeOptions? nodeOptions = null) : Workload(
    concurrentRuns == 1 ? BaselineNames.ChainName(length) : WorkloadNames.Chain10X1000,
    EngineImplementation,
    concurrentRuns == 1 ? MeasureKind.PerRun : MeasureKind.Throughput,
    concurrentRuns)
{
    private readonly Task<int>[] runs = new Task<int>[concurrentRuns];
    private CompiledGraph<int, int>? graph;

    /// <summary>Gets the supersteps of one run (one task each): the chain's length.</summary>
    public int StepsPerRun => length;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        graph = EngineGraphs.Chain(length, nodeOptions: nodeOptions);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        for (var i = 0; i < iterations; i++)
        {
            if (runs.Length == 1)
            {
                Check(await compiled.InvokeAsync(0, null, cancellationToken).ConfigureAwait(false), length);
                continue;
            }

            for (var r = 0; r < runs.Length; r++)
            {
                runs[r] = compiled.InvokeAsync(0, null, cancellationToken);
            }

            await Task.WhenAll((Task[])runs).ConfigureAwait(false);
            foreach (var run in runs)
            {
                Check(run.Result, length);
            }
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
