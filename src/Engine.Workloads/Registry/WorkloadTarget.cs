using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Registry;

/// <summary>A target of PERFORMANCE.md for an engine workload, checked against figures measured in the same run.</summary>
public sealed class WorkloadTarget
{
    private readonly Func<Measurement, Measurement?, Func<string, Measurement?>, bool?> check;

    private WorkloadTarget(string description, Func<Measurement, Measurement?, Func<string, Measurement?>, bool?> check)
    {
        Description = description;
        this.check = check;
    }

    /// <summary>Gets the target as people read it, such as <c>&lt;= 1.25x baseline</c>.</summary>
    public string Description { get; }

    /// <summary>The engine's time per operation is at most <paramref name="factor"/> times the primary baseline's.</summary>
    /// <param name="factor">The allowed ratio, such as 1.25.</param>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtMostTimesBaseline(double factor) => new(
        $"<= {factor:0.##}x baseline",
        (engine, baseline, _) => baseline is null ? null : engine.NanosecondsPerOperation <= factor * baseline.NanosecondsPerOperation);

    /// <summary>The engine's runs/s is at least the primary baseline's.</summary>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtLeastBaselineThroughput() => new(
        ">= baseline runs/s",
        (engine, baseline, _) => baseline is null ? null : engine.OperationsPerSecond >= baseline.OperationsPerSecond);

    /// <summary>The engine takes at most <paramref name="microseconds"/> per run.</summary>
    /// <param name="microseconds">The bound, in us/run.</param>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtMostMicroseconds(double microseconds) => new(
        $"<= {microseconds:0.##} us/run",
        (engine, _, _) => engine.MicrosecondsPerOperation <= microseconds);

    /// <summary>The engine's time per run is at most <paramref name="factor"/> times the engine's own figure for another workload.</summary>
    /// <param name="workload">The other workload, such as chain10.</param>
    /// <param name="factor">The allowed ratio, such as 1.5.</param>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtMostTimesEngine(string workload, double factor) => new(
        $"<= {factor:0.##}x engine {workload}",
        (engine, _, engineOf) => engineOf(workload) is { } other ? engine.NanosecondsPerOperation <= factor * other.NanosecondsPerOperation : null);

    /// <summary>An idle engine instance retains at most <paramref name="bytes"/> bytes.</summary>
    /// <param name="bytes">The bound, in bytes per instance.</param>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtMostRetainedBytes(double bytes) => new(
        $"<= {bytes:N0} B/actor",
        (engine, _, _) => engine.RetainedBytesPerInstance is { } retained ? retained <= bytes : null);

    /// <summary>The engine allocates at most <paramref name="bytes"/> bytes per operation (message or step).</summary>
    /// <param name="bytes">The bound, in bytes per operation.</param>
    /// <returns>The target.</returns>
    public static WorkloadTarget AtMostBytesPerOperation(double bytes) => new(
        $"<= {bytes:N0} B/op allocated",
        (engine, _, _) => engine.BytesPerOperation <= bytes);

    /// <summary>The engine's checkpoint store runs at most <paramref name="statements"/> SQL statements per step.</summary>
    /// <param name="statements">The bound, in statements per step.</param>
    /// <param name="stepsPerRun">The steps of one run of the workload, such as 10 for chain10.</param>
    /// <returns>The target; not measured when the workload reports no store figures.</returns>
    public static WorkloadTarget AtMostStatementsPerStep(double statements, int stepsPerRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerRun, 1);
        return new(
            $"<= {statements:0.##} statements/step",
            (engine, _, _) => engine.Store is { } store ? store.StatementsPerRun / stepsPerRun <= statements : null);
    }

    /// <summary>Both this target and <paramref name="other"/>: missed when either is, met when both are, otherwise not measured.</summary>
    /// <param name="other">The second target.</param>
    /// <returns>The combined target, described as both are.</returns>
    public WorkloadTarget And(WorkloadTarget other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            $"{Description}, {other.Description}",
            (engine, baseline, engineOf) => (check(engine, baseline, engineOf), other.check(engine, baseline, engineOf)) switch
            {
                (false, _) or (_, false) => false,
                (true, true) => true,
                _ => null,
            });
    }

    /// <summary>Checks the target.</summary>
    /// <param name="engine">The engine's measurement of the workload, or null when it was not measured.</param>
    /// <param name="baseline">The primary baseline's measurement, or null.</param>
    /// <param name="engineOf">Finds the engine's measurement of another workload in the same run, or null.</param>
    /// <returns><see cref="TargetVerdict.Met"/>, <see cref="TargetVerdict.Missed"/> or <see cref="TargetVerdict.NotMeasured"/>.</returns>
    public TargetVerdict Evaluate(Measurement? engine, Measurement? baseline, Func<string, Measurement?> engineOf)
    {
        ArgumentNullException.ThrowIfNull(engineOf);
        if (engine is null)
        {
            return TargetVerdict.NotMeasured;
        }

        return check(engine, baseline, engineOf) switch
        {
            true => TargetVerdict.Met,
            false => TargetVerdict.Missed,
            null => TargetVerdict.NotMeasured,
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Description;
}
