using System.Diagnostics;
using System.Diagnostics.Metrics;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using Graph.Engine.Workloads.Engine;

namespace Graph.Engine.Workloads.Soak;

/// <summary>
/// The soak of the benchmark: many chain10 runs with a fixed number in flight, checking that nothing accumulates.
/// The runs go in <see cref="SoakOptions.Marks"/> equal phases; after each, with nothing in flight, it records the
/// heap after a full collection (the time of the collections is not counted in the runs' time); at the end it
/// compares the node actors, the process's active timers and the runs in flight (the engine's
/// <c>graph.runs.in_flight</c>) with their values before the first run.
/// </summary>
/// <remarks>
/// Every run gets the soak's cancellable token, so each registers on it (and creates its cancellation source): a run
/// that left its registration behind would stay reachable from that token and show as heap growth.
/// </remarks>
public static class ChainSoak
{
    /// <summary>Runs the soak.</summary>
    /// <param name="options">How many runs, how many in flight, how many marks.</param>
    /// <param name="onMark">Called with each mark as it is taken (from a run's thread); null for none.</param>
    /// <param name="cancellationToken">Stops the soak early (the runs in flight are cancelled).</param>
    /// <returns>The marks and the leak checks.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="InvalidOperationException">A run produced a wrong result.</exception>
    public static async Task<SoakReport> RunAsync(SoakOptions options, Action<SoakMark>? onMark = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var inFlight = new RunsInFlightGauge();
        await using var system = new ActorSystem("soak");
        var graph = EngineGraphs.Chain(10, new GraphCompileOptions { ActorSystem = system });
        await using (graph.ConfigureAwait(false))
        {
            using var soak = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var token = soak.Token;
            for (var i = 0; i < 1_000; i++)
            {
                Check(await graph.InvokeAsync(0, null, token).ConfigureAwait(false));
            }

            var before = new SoakCounts(system.GetHealth().Actors.Count, Timer.ActiveCount, inFlight.Value);
            var marks = new List<SoakMark>(options.Marks);
            var clock = new Stopwatch();
            long done = 0;
            for (var m = 1; m <= options.Marks; m++)
            {
                // Each phase ends with every run finished, so every mark weighs the same: nothing in flight.
                var target = (long)options.Runs * m / options.Marks;
                clock.Start();
                await RunPhaseAsync(graph, target - done, options.InFlight, token).ConfigureAwait(false);
                clock.Stop();
                done = target;
                var mark = new SoakMark(done, HeapAfterCollection(), clock.Elapsed);
                marks.Add(mark);
                onMark?.Invoke(mark);
            }

            var elapsed = clock.Elapsed;
            _ = HeapAfterCollection(); // timers and sources of finished runs are collected before the counts
            var after = new SoakCounts(system.GetHealth().Actors.Count, Timer.ActiveCount, inFlight.Value);
            return new SoakReport(options, marks, elapsed, before, after);
        }
    }

    /// <summary>Runs <paramref name="runs"/> chain10 runs, <paramref name="inFlight"/> at a time, and waits for all.</summary>
    private static async Task RunPhaseAsync(CompiledGraph<int, int> graph, long runs, int inFlight, CancellationToken token)
    {
        long started = 0;

        async Task LoopAsync()
        {
            while (Interlocked.Increment(ref started) <= runs)
            {
                Check(await graph.InvokeAsync(0, null, token).ConfigureAwait(false));
            }
        }

        var loops = new Task[(int)Math.Min(inFlight, runs)];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Run(LoopAsync, token);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static long HeapAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Check(int result)
    {
        if (result != 10)
        {
            throw new InvalidOperationException($"chain10 returned {result}, expected 10.");
        }
    }

    /// <summary>Sums the engine's <c>graph.runs.in_flight</c> measurements: the runs started and not yet ended.</summary>
    private sealed class RunsInFlightGauge : IDisposable
    {
        private readonly MeterListener listener = new();
        private long value;

        public RunsInFlightGauge()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EngineDiagnostics.SourceName && instrument.Name == GraphDiagnostics.RunsInFlightInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => Interlocked.Add(ref value, measurement));
            listener.Start();
        }

        public long Value => Interlocked.Read(ref value);

        public void Dispose() => listener.Dispose();
    }
}
