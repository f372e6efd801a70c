using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Baselines;
using Graph.Engine.Workloads.Engine;
using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Scale;

/// <summary>
/// The scaling mode of the benchmark: chain10 with 10, 100, 1,000 and 10,000 runs started at once per iteration
/// (the engine, then the hand-wired unbounded <c>ActionBlock</c> chain, in the same process; <see cref="Rounds"/>
/// interleaved rounds, each level's median reported), and the heap one run
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

    /// <summary>
    /// The rounds measured: each round measures every level once (engine, then hand-wired), and each level reports
    /// its median round. Levels measured one after the other read the machine at different moments (the thread
    /// pool's injection, the GC's budgets, other processes): measured on a quiet 2-core machine, one level's runs/s moved
    /// by 30 % from one pass to the next, enough to decide the 0.8x verdict by chance. Interleaving the rounds gives
    /// every level the same moments.
    /// </summary>
    public const int Rounds = 5;

    /// <summary>Weighs a run in flight, then measures every level in <see cref="Rounds"/> interleaved rounds.</summary>
    /// <param name="options">How long and how often to measure each level; each round takes its share of the batches (at least one).</param>
    /// <param name="onPoint">Called with each level of each round as it is measured (round numbered from 1); null for none.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The figures: each level's median round.</returns>
    public static async Task<ScaleReport> RunAsync(MeasurementOptions options, Action<int, ScalePoint>? onPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // One unrecorded round first, so the lowest level is not the one that pays for JIT tiering and pool growth.
        var warmup = options with { Batches = 1 };
        _ = await MeasurementRunner.MeasureAsync(new EngineChain(10, Levels[^1]), warmup, cancellationToken).ConfigureAwait(false);
        _ = await MeasurementRunner.MeasureAsync(new ActionBlockChain(10, Levels[^1]), warmup, cancellationToken).ConfigureAwait(false);
        // Weighed before the rounds: after them, the heap still held what forty graphs left behind and collected it
        // while the runs were parked (measured: -200 B per run after five rounds).
        var inFlight = Levels[^1];
        var inFlightBytes = await InFlightBytesPerRunAsync(inFlight, cancellationToken).ConfigureAwait(false);
        var perRound = options with { Batches = Math.Max(1, (options.Batches + Rounds - 1) / Rounds) };
        var rounds = new ScalePoint[Levels.Count][];
        for (var i = 0; i < rounds.Length; i++)
        {
            rounds[i] = new ScalePoint[Rounds];
        }

        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < Levels.Count; i++)
            {
                var level = Levels[i];
                var engine = await MeasurementRunner.MeasureAsync(new EngineChain(10, level), perRound, cancellationToken).ConfigureAwait(false);
                var handWired = await MeasurementRunner.MeasureAsync(new ActionBlockChain(10, level), perRound, cancellationToken).ConfigureAwait(false);
                var point = new ScalePoint(level, engine, handWired);
                rounds[i][round] = point;
                onPoint?.Invoke(round + 1, point);
            }
        }

        var points = new ScalePoint[Levels.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new ScalePoint(Levels[i], MedianRound(rounds[i], static p => p.Engine), MedianRound(rounds[i], static p => p.HandWired));
        }

        return new ScaleReport(points, inFlight, inFlightBytes);
    }

    /// <summary>The measurement of the median round by runs/s (the middle one of an odd count, the lower middle of an even one).</summary>
    private static Measurement MedianRound(ScalePoint[] rounds, Func<ScalePoint, Measurement> side)
    {
        var sorted = rounds.Select(side).OrderBy(static m => m.OperationsPerSecond).ToArray();
        return sorted[(sorted.Length - 1) / 2];
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
