namespace Graph.Engine.Workloads.Soak;

/// <summary>The outcome of a soak: its marks, its speed and the leak checks.</summary>
/// <param name="Options">What ran.</param>
/// <param name="Marks">The heap marks, in order of runs.</param>
/// <param name="Elapsed">The time of all runs.</param>
/// <param name="Before">The counts before the first run.</param>
/// <param name="After">The counts after the last run.</param>
public sealed record SoakReport(SoakOptions Options, IReadOnlyList<SoakMark> Marks, TimeSpan Elapsed, SoakCounts Before, SoakCounts After)
{
    /// <summary>Gets the runs per second over the whole soak.</summary>
    public double RunsPerSecond => Options.Runs / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Gets the heap growth from the first mark to the last, as a fraction of the first (0 with fewer than two marks).</summary>
    public double HeapGrowth => Marks.Count < 2 ? 0 : (double)(Marks[^1].HeapBytes - Marks[0].HeapBytes) / Marks[0].HeapBytes;

    /// <summary>Gets whether the heap stayed flat: it grew by at most <see cref="SoakOptions.MaxGrowth"/>.</summary>
    public bool HeapFlat => HeapGrowth <= SoakOptions.MaxGrowth;

    /// <summary>Gets whether nothing leaked: as many actors, no more active timers, and no run left in flight.</summary>
    public bool NoLeaks => After.Actors == Before.Actors && After.Timers <= Before.Timers && After.RunsInFlight == Before.RunsInFlight;

    /// <summary>Gets whether the soak passed: a flat heap and no leaks.</summary>
    public bool Passed => HeapFlat && NoLeaks;
}
