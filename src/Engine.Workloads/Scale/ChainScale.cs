using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Scale;

/// <summary>
/// The scaling mode of the benchmark: chain10 with 10, 100, 1,000 and 10,000 runs started at once per iteration
/// (the engine, then the hand-wired unbounded <c>ActionBlock</c> chain, in the same process), and the heap one run
/// holds while in flight: 10,000 chain10 runs parked in their first node, weighed after a full collection.
/// </summary>
/// <remarks>
/// The parked node returns one shared pending task, so the weight is the engine's alone (the run, its buffers, its
/// completion and the continuation waiting on the node), not a user's state machine.
/// </remarks>
public static class ChainScale
{
    /// <summary>The levels of concurrency measured: 10, 100, 1,000 and 10,000 runs at once.</summary>
    public static IReadOnlyList<int> Levels { get; } = [10, 100, 1_000, 10_000];

    /// <summary>Measures every level, then the bytes per run in flight.</summary>
    /// <param name="options">How long and how often to measure each level.</param>
    /// <param name="onPoint">Called with each level as it is measured; null for none.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The figures.</returns>
    public static async Task<ScaleReport> RunAsync(MeasurementOptions options, Action<ScalePoint>? onPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // One unrecorded round first, so the lowest level is not the one that pays for JIT tiering and pool growth.
        var warmup = options with { Batches = 1 };
        _ = await MeasurementRunner.MeasureAsync(new EngineChain(10, Levels[^1]), warmup, cancellationToken).ConfigureAwait(false);
        _ = await MeasurementRunner.MeasureAsync(new ActionBlockChain(10, Levels[^1]), warmup, cancellationToken).ConfigureAwait(false);
        var points = new List<ScalePoint>(Levels.Count);
        foreach (var level in Levels)
        {
            var engine = await MeasurementRunner.MeasureAsync(new EngineChain(10, level), options, cancellationToken).ConfigureAwait(false);
            var handWired = await MeasurementRunner.MeasureAsync(new ActionBlockChain(10, level), options, cancellationToken).ConfigureAwait(false);
            var point = new ScalePoint(level, engine, handWired);
            points.Add(point);
            onPoint?.Invoke(point);
        }

        var inFlight = Levels[^1];
        return new ScaleReport(points, inFlight, await InFlightBytesPerRunAsync(inFlight, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Starts <paramref name="runs"/> chain10 runs that park in their first node, weighs the heap, then lets them finish.</summary>
    /// <param name="runs">Runs to hold in flight.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The heap held per run in flight, in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runs"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">A run produced a wrong result.</exception>
    public static async Task<double> InFlightBytesPerRunAsync(int runs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var gate = new TaskCompletionSource<NodeResult<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = gate.Task;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode(EngineGraphs.ChainNode(0), (_, _) => new ValueTask<NodeResult<int>>(parked))
            .AddEdge(StateGraph.Start, EngineGraphs.ChainNode(0));
        for (var i = 1; i < 10; i++)
        {
            graph.AddNode(EngineGraphs.ChainNode(i), static s => s + 1).AddEdge(EngineGraphs.ChainNode(i - 1), EngineGraphs.ChainNode(i));
        }

        await using var compiled = graph.AddEdge(EngineGraphs.ChainNode(9), StateGraph.End).Compile();
        Check(await RunAllAsync(compiled, new Task<int>[1], () => gate.TrySetResult(1), cancellationToken).ConfigureAwait(false));

        gate = new TaskCompletionSource<NodeResult<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        parked = gate.Task;
        var tasks = new Task<int>[runs];
        long before = 0;
        long after = 0;
        var results = await RunAllAsync(
            compiled,
            tasks,
            () =>
            {
                after = GC.GetTotalMemory(forceFullCollection: true);
                gate.TrySetResult(1);
            },
            cancellationToken,
            () => before = GC.GetTotalMemory(forceFullCollection: true)).ConfigureAwait(false);
        Check(results);
        return (after - before) / (double)runs;
    }

    private static async Task<int[]> RunAllAsync(CompiledGraph<int, int> graph, Task<int>[] tasks, Action release, CancellationToken cancellationToken, Action? beforeStart = null)
    {
        beforeStart?.Invoke();
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = graph.InvokeAsync(0, null, cancellationToken);
        }

        release();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static void Check(int[] results)
    {
        foreach (var result in results)
        {
            if (result != 10)
            {
                throw new InvalidOperationException($"A chain10 run in flight ended with {result}, not 10.");
            }
        }
    }
}
