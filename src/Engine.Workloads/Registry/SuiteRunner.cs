using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Registry;

/// <summary>Measures a selection of workloads, engine and baselines in the same process, and checks the targets.</summary>
public static class SuiteRunner
{
    /// <summary>Selects entries whose name matches one of the patterns (<c>*</c> matches any run of characters, case-insensitive).</summary>
    /// <param name="entries">The entries to select from.</param>
    /// <param name="patterns">Names or patterns; none selects every entry.</param>
    /// <returns>The selected entries, in their original order.</returns>
    public static IReadOnlyList<WorkloadEntry> Select(IEnumerable<WorkloadEntry> entries, IReadOnlyCollection<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0
            ? entries.ToList()
            : entries.Where(e => patterns.Any(p => Matches(e.Name, p))).ToList();
    }

    /// <summary>Returns whether a name matches a pattern in which <c>*</c> matches any run of characters, case-insensitive.</summary>
    /// <param name="name">The name.</param>
    /// <param name="pattern">The pattern.</param>
    /// <returns>True when it matches.</returns>
    public static bool Matches(string name, string pattern)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    /// <summary>Measures every entry: the engine implementation where there is one, then each baseline.</summary>
    /// <param name="entries">The workloads to measure.</param>
    /// <param name="options">How long and how often to measure each implementation.</param>
    /// <param name="onMeasuring">Called before each implementation is measured (for progress display), or null.</param>
    /// <param name="cancellationToken">Cancels the suite.</param>
    /// <returns>One result per entry, in order.</returns>
    /// <remarks>A baseline shared by several entries (chain10's for the checkpointed variants) is measured once.</remarks>
    public static async Task<IReadOnlyList<WorkloadResult>> RunAsync(
        IReadOnlyList<WorkloadEntry> entries,
        MeasurementOptions options,
        Action<Workload>? onMeasuring = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var cache = new Dictionary<(string Name, string Implementation), Measurement>();
        async Task<Measurement> MeasureAsync(Func<Workload> factory)
        {
            var workload = factory();
            if (!cache.TryGetValue((workload.Name, workload.Implementation), out var measurement))
            {
                onMeasuring?.Invoke(workload);
                measurement = await MeasurementRunner.MeasureAsync(workload, options, cancellationToken).ConfigureAwait(false);
                cache[(workload.Name, workload.Implementation)] = measurement;
            }

            return measurement;
        }

        var measured = new List<(WorkloadEntry Entry, Measurement? Engine, List<Measurement> Baselines)>();
        foreach (var entry in entries)
        {
            var engine = entry.Engine is null ? null : await MeasureAsync(entry.Engine).ConfigureAwait(false);
            var baselines = new List<Measurement>();
            foreach (var baseline in entry.Baselines)
            {
                baselines.Add(await MeasureAsync(baseline).ConfigureAwait(false));
            }

            measured.Add((entry, engine, baselines));
        }

        Measurement? EngineOf(string name) => measured.FirstOrDefault(m => m.Entry.Name == name).Engine;
        return measured
            .Select(m => new WorkloadResult(
                m.Entry,
                m.Engine,
                m.Baselines,
                m.Entry.Target?.Evaluate(m.Engine, m.Baselines.FirstOrDefault(), EngineOf) ?? TargetVerdict.None))
            .ToList();
    }
}
