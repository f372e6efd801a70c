using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Registry;

/// <summary>What one suite run measured for one workload.</summary>
/// <param name="Entry">The workload.</param>
/// <param name="Engine">The engine's figures, or null when the engine has no implementation of it yet.</param>
/// <param name="Baselines">The baselines' figures, the primary one first.</param>
/// <param name="Verdict">Whether the target is met.</param>
public sealed record WorkloadResult(
    WorkloadEntry Entry,
    Measurement? Engine,
    IReadOnlyList<Measurement> Baselines,
    TargetVerdict Verdict)
{
    /// <summary>Gets the primary baseline's figures, or null.</summary>
    public Measurement? Baseline => Baselines.Count > 0 ? Baselines[0] : null;

    /// <summary>
    /// Gets the engine's headline figure divided by the primary baseline's, or null when either is missing.
    /// For times and bytes, below 1 is better; for runs/s, above 1 is better.
    /// </summary>
    public double? Ratio => Baseline is { } baseline ? RatioTo(baseline) : null;

    /// <summary>Gets the engine's headline figure divided by <paramref name="baseline"/>'s, or null when either is missing.</summary>
    /// <param name="baseline">One of <see cref="Baselines"/> (a raw baseline or a peer runtime).</param>
    /// <returns>The ratio; for times and bytes below 1 is better, for runs/s above 1 is better.</returns>
    public double? RatioTo(Measurement baseline) => Engine is { } engine && baseline is { HeadlineValue: not 0 }
        ? engine.HeadlineValue / baseline.HeadlineValue
        : null;
}
