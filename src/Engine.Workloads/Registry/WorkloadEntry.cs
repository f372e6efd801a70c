namespace Graph.Engine.Workloads.Registry;

/// <summary>One workload of PERFORMANCE.md: its engine implementation (if written yet), its baselines, peer figure and target.</summary>
/// <param name="Name">The workload name, one of <see cref="WorkloadNames"/>.</param>
/// <param name="Shape">What the workload does, in one line.</param>
/// <param name="Engine">Creates the engine implementation; null while there is none (reported as n/a, never faked).</param>
/// <param name="Baselines">Create the raw baselines; the first is the primary one, which ratios and targets use.</param>
/// <param name="Peer">The LangGraph.js figure from PERFORMANCE.md, or null.</param>
/// <param name="Target">The PERFORMANCE.md target, or null.</param>
public sealed record WorkloadEntry(
    string Name,
    string Shape,
    Func<Workload>? Engine,
    IReadOnlyList<Func<Workload>> Baselines,
    PeerFigure? Peer = null,
    WorkloadTarget? Target = null)
{
    /// <summary>Gets what the workload reports, from its primary baseline (or engine when it has no baseline).</summary>
    public MeasureKind Kind { get; } = (Baselines.Count > 0 ? Baselines[0]() : Engine?.Invoke())?.Kind ?? MeasureKind.PerRun;
}
