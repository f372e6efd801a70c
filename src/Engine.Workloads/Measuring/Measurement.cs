using System.Diagnostics;

namespace Graph.Engine.Workloads.Measuring;

/// <summary>The figures measured for one implementation of one workload.</summary>
/// <param name="Workload">The workload name.</param>
/// <param name="Implementation">What ran it (<c>engine</c> or a baseline's name).</param>
/// <param name="Kind">What the workload reports.</param>
/// <param name="NanosecondsPerOperation">Median time per operation (run or message) over the batches.</param>
/// <param name="MinNanosecondsPerOperation">Fastest batch's time per operation.</param>
/// <param name="MaxNanosecondsPerOperation">Slowest batch's time per operation.</param>
/// <param name="BytesPerOperation">Median bytes allocated per operation, on every thread.</param>
/// <param name="RetainedBytesPerInstance">For <see cref="MeasureKind.IdleMemory"/>: median retained bytes per idle instance; otherwise null.</param>
/// <param name="Batches">Number of timed batches.</param>
/// <param name="OperationsPerBatch">Operations performed by each timed batch.</param>
/// <param name="Store">For a workload with a checkpoint store: what the store did per run; otherwise null.</param>
[DebuggerDisplay("{Workload,nq} ({Implementation,nq}): {Headline,nq}")]
public sealed record Measurement(
    string Workload,
    string Implementation,
    MeasureKind Kind,
    double NanosecondsPerOperation,
    double MinNanosecondsPerOperation,
    double MaxNanosecondsPerOperation,
    double BytesPerOperation,
    double? RetainedBytesPerInstance,
    int Batches,
    long OperationsPerBatch,
    StoreFigures? Store = null)
{
    /// <summary>Gets the median time per operation in microseconds.</summary>
    public double MicrosecondsPerOperation => NanosecondsPerOperation / 1_000d;

    /// <summary>Gets the operations per second implied by the median time per operation.</summary>
    public double OperationsPerSecond => NanosecondsPerOperation > 0 ? 1e9 / NanosecondsPerOperation : double.PositiveInfinity;

    /// <summary>Gets the headline figure in the workload's own unit (see <see cref="HeadlineUnit"/>).</summary>
    public double HeadlineValue => Kind switch
    {
        MeasureKind.PerRun => MicrosecondsPerOperation,
        MeasureKind.Throughput => OperationsPerSecond,
        MeasureKind.PerMessage => NanosecondsPerOperation,
        MeasureKind.IdleMemory => RetainedBytesPerInstance ?? double.NaN,
        _ => throw new UnreachableException(),
    };

    /// <summary>Gets the unit of <see cref="HeadlineValue"/>: us/run, runs/s, ns/msg or B/actor.</summary>
    public string HeadlineUnit => UnitOf(Kind);

    /// <summary>Gets whether a smaller <see cref="HeadlineValue"/> is better (false only for runs/s).</summary>
    public bool LowerIsBetter => Kind != MeasureKind.Throughput;

    /// <summary>Gets the headline figure with its unit, such as <c>14.2 us/run</c>.</summary>
    public string Headline => Format(HeadlineValue, Kind);

    /// <summary>Gets the allocation figure with its unit, such as <c>840 B/run</c>.</summary>
    public string Allocation => Kind switch
    {
        MeasureKind.PerMessage => $"{BytesPerOperation:N0} B/msg",
        MeasureKind.IdleMemory => $"{BytesPerOperation:N0} B/create",
        _ => $"{BytesPerOperation:N0} B/run",
    };

    /// <summary>Returns the unit of a kind's headline figure.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>us/run, runs/s, ns/msg or B/actor.</returns>
    public static string UnitOf(MeasureKind kind) => kind switch
    {
        MeasureKind.PerRun => "us/run",
        MeasureKind.Throughput => "runs/s",
        MeasureKind.PerMessage => "ns/msg",
        MeasureKind.IdleMemory => "B/actor",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown measure kind."),
    };

    /// <summary>Formats a headline value with the unit of a kind.</summary>
    /// <param name="value">The value, in the kind's unit.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>Such as <c>14.2 us/run</c> or <c>230,000 runs/s</c>.</returns>
    public static string Format(double value, MeasureKind kind) => kind switch
    {
        MeasureKind.PerRun => value < 100 ? $"{value:N2} us/run" : $"{value:N0} us/run",
        MeasureKind.Throughput => $"{value:N0} runs/s",
        MeasureKind.PerMessage => $"{value:N1} ns/msg",
        MeasureKind.IdleMemory => $"{value:N0} B/actor",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown measure kind."),
    };
}
