namespace Graph.Engine.Workloads.Measuring;

/// <summary>
/// The rounds of a concurrent workload: in each, a number of runs is started at once and awaited. From one caller
/// (chain10-x1000) the measuring loop itself starts every run of a round; from one caller per core
/// (chain10-x1000-callers) each caller, a thread-pool task of its own, keeps its share of the runs going round after
/// round without waiting for the others, as the request threads of a server would.
/// </summary>
/// <remarks>
/// From one caller, a run whose nodes complete synchronously finishes on the caller's thread before the next one
/// starts, so the engine works on one core however many runs are "in flight"; the hand-wired chains and MAF hand every
/// run to the thread pool. Started from one caller per core, every implementation can use every core.
/// </remarks>
public static class ConcurrentRounds
{
    /// <summary>Gets the callers of the per-core variant: one per core.</summary>
    public static int PerCore => Environment.ProcessorCount;

    /// <summary>Runs <paramref name="iterations"/> rounds of <paramref name="runs"/> runs.</summary>
    /// <param name="iterations">The rounds.</param>
    /// <param name="runs">The runs of a round, all callers together.</param>
    /// <param name="callers">1 to run every round here; more to give each caller a contiguous share of every round.</param>
    /// <param name="round">Starts the runs <c>from</c>..<c>to</c>-1 of a round at once, then awaits and checks them.</param>
    /// <returns>A task that completes when every caller has run every round.</returns>
    public static ValueTask RunAsync(int iterations, int runs, int callers, Func<int, int, ValueTask> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return callers <= 1 ? ShareAsync(iterations, 0, runs, round) : FromCallersAsync(iterations, runs, callers, round);
    }

    private static async ValueTask ShareAsync(int iterations, int from, int to, Func<int, int, ValueTask> round)
    {
        for (var i = 0; i < iterations; i++)
        {
            await round(from, to).ConfigureAwait(false);
        }
    }

    private static async ValueTask FromCallersAsync(int iterations, int runs, int callers, Func<int, int, ValueTask> round)
    {
        var shares = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var from = (int)((long)runs * c / callers);
            var to = (int)((long)runs * (c + 1) / callers);
            shares[c] = Task.Run(() => ShareAsync(iterations, from, to, round).AsTask());
        }

        await Task.WhenAll(shares).ConfigureAwait(false);
    }
}
