using System.Diagnostics;

namespace Graph.Engine.Workloads.Measuring;

/// <summary>
/// A small, honest measurement loop: warmup, calibration, repeated timed batches, medians.
/// </summary>
/// <remarks>
/// Time comes from <see cref="Stopwatch"/>; allocation from deltas of
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> (precise), which counts every thread, so work
/// the workload pushes to the thread pool is charged to it. Idle memory comes from
/// <see cref="GC.GetTotalMemory(bool)"/> (forcing full collections) before and after creating
/// many idle instances. Nothing here writes to the console.
/// </remarks>
public static class MeasurementRunner
{
    /// <summary>Sets a workload up, measures it and tears it down.</summary>
    /// <param name="workload">The workload to measure.</param>
    /// <param name="options">How long and how often to measure.</param>
    /// <param name="cancellationToken">Cancels the measurement.</param>
    /// <returns>The measured figures.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> is invalid.</exception>
    public static async Task<Measurement> MeasureAsync(Workload workload, MeasurementOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        Measurement measurement;
        await workload.SetupAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            double? retained = workload is IdleWorkload idle
                ? await MeasureRetainedAsync(idle, options, cancellationToken).ConfigureAwait(false)
                : null;

            var iterations = options.Iterations
                ?? await WarmUpAndCalibrateAsync(workload, options, cancellationToken).ConfigureAwait(false);

            var operations = (long)iterations * workload.OperationsPerIteration;
            var nanoseconds = new double[options.Batches];
            var bytes = new double[options.Batches];
            for (var batch = 0; batch < options.Batches; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var started = Stopwatch.GetTimestamp();
                await workload.RunAsync(iterations, cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
                nanoseconds[batch] = elapsed.TotalNanoseconds / operations;
                bytes[batch] = (allocatedAfter - allocatedBefore) / (double)operations;
            }

            measurement = new Measurement(
                workload.Name,
                workload.Implementation,
                workload.Kind,
                Median(nanoseconds),
                nanoseconds.Min(),
                nanoseconds.Max(),
                Median(bytes),
                retained,
                options.Batches,
                operations);
        }
        finally
        {
            await workload.TeardownAsync().ConfigureAwait(false);
        }

        return workload.Store is { } store ? measurement with { Store = store } : measurement;
    }

    /// <summary>Returns the median of some values (the mean of the middle two for an even count).</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The median.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static async Task<int> WarmUpAndCalibrateAsync(Workload workload, MeasurementOptions options, CancellationToken cancellationToken)
    {
        // Grow the batch until one takes BatchTime, and keep running until WarmupTime has passed
        // (tiered compilation promotes hot methods after a delay), so timed batches see steady state.
        var iterations = 1;
        var warmupStarted = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            await workload.RunAsync(iterations, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);

            var calibrated = elapsed >= options.BatchTime || iterations >= options.MaxIterations;
            if (calibrated && Stopwatch.GetElapsedTime(warmupStarted) >= options.WarmupTime)
            {
                return iterations;
            }

            if (!calibrated)
            {
                var scale = elapsed <= TimeSpan.Zero ? 10d : Math.Clamp(options.BatchTime / elapsed * 1.1, 1.5, 10d);
                iterations = (int)Math.Min(options.MaxIterations, Math.Ceiling(iterations * scale));
            }
        }
    }

    private static async Task<double> MeasureRetainedAsync(IdleWorkload workload, MeasurementOptions options, CancellationToken cancellationToken)
    {
        var perInstance = new double[options.IdleRounds];
        var instances = new object[options.IdleInstances];
        for (var round = 0; round < options.IdleRounds; round++)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < instances.Length; i++)
            {
                instances[i] = await workload.CreateIdleAsync(cancellationToken).ConfigureAwait(false);
            }

            var after = GC.GetTotalMemory(forceFullCollection: true);
            perInstance[round] = (after - before) / (double)instances.Length;
            foreach (var instance in instances)
            {
                await workload.ReleaseAsync(instance).ConfigureAwait(false);
            }

            Array.Clear(instances);
        }

        return Median(perInstance);
    }
}
