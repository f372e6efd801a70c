using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Engine;

/// <summary>
/// chain1, chain10, chain100 and chain10-x1000 on the engine: <see cref="EngineGraphs.Chain"/> invoked with
/// <see cref="CompiledGraph{TState, TUpdate}.InvokeAsync(TState, RunOptions?, CancellationToken)"/>, checking every run's result.
/// </summary>
/// <remarks>
/// With <paramref name="concurrentRuns"/> of 1 runs are invoked one at a time; with 1000 (chain10-x1000) an iteration
/// starts 1000 runs at once and awaits them together, as the hand-wired <see cref="ActionBlockChain"/> does; with
/// <paramref name="callers"/> above 1 (chain10-x1000-callers) each caller starts its share.
/// One run is <paramref name="length"/> steps of one task each, so bytes per step is bytes/run divided by the length.
/// </remarks>
/// <param name="length">Number of nodes: 1, 10 or 100.</param>
/// <param name="concurrentRuns">Runs started at once per iteration: 1, or <see cref="BaselineNames.ConcurrentRuns"/>.</param>
/// <param name="nodeOptions">Options of every node; null (the workload as defined) for the defaults. For experiments.</param>
/// <param name="callers">Callers that start the runs (<see cref="ConcurrentRounds"/>): 1, or <see cref="ConcurrentRounds.PerCore"/> for chain10-x1000-callers.</param>
public sealed class EngineChain(int length, int concurrentRuns = 1, NodeOptions? nodeOptions = null, int callers = 1) : Workload(
    BaselineNames.ChainName(length, concurrentRuns, callers),
    EngineImplementation,
    concurrentRuns == 1 ? MeasureKind.PerRun : MeasureKind.Throughput,
    concurrentRuns)
{
    private readonly Task<int>[] runs = new Task<int>[concurrentRuns];
    private CompiledGraph<int, int>? graph;
    private Func<int, int, ValueTask>? round;
    private CancellationToken token;

    /// <summary>Gets the supersteps of one run (one task each): the chain's length.</summary>
    public int StepsPerRun => length;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        graph = EngineGraphs.Chain(length, nodeOptions: nodeOptions);
        round = RoundAsync;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var compiled = graph!;
        if (runs.Length == 1)
        {
            for (var i = 0; i < iterations; i++)
            {
                Check(await compiled.InvokeAsync(0, null, cancellationToken).ConfigureAwait(false), length);
            }

            return;
        }

        token = cancellationToken;
        await ConcurrentRounds.RunAsync(iterations, runs.Length, callers, round!).ConfigureAwait(false);
    }

    /// <summary>Starts the runs <paramref name="from"/>..<paramref name="to"/>-1 at once, then awaits and checks them.</summary>
    private async ValueTask RoundAsync(int from, int to)
    {
        var compiled = graph!;
        for (var r = from; r < to; r++)
        {
            runs[r] = compiled.InvokeAsync(0, null, token);
        }

        for (var r = from; r < to; r++)
        {
            Check(await runs[r].ConfigureAwait(false), length);
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
