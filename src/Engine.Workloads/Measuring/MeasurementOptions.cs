namespace Graph.Engine.Workloads.Measuring;

/// <summary>How long and how often the <see cref="MeasurementRunner"/> measures. Immutable.</summary>
public sealed record MeasurementOptions
{
    /// <summary>Gets the quick preset: short warmup, 7 batches of about 60 ms (the whole suite in well under a minute on 2 cores).</summary>
    public static MeasurementOptions Quick { get; } = new()
    {
        WarmupTime = TimeSpan.FromMilliseconds(250),
        BatchTime = TimeSpan.FromMilliseconds(60),
        Batches = 7,
        IdleInstances = 1_000,
        IdleRounds = 3,
    };

    /// <summary>Gets the default preset: 1 s warmup, 15 batches of about 250 ms.</summary>
    public static MeasurementOptions Default { get; } = new();

    /// <summary>Gets the minimum warmup time, spent running the workload before any batch is timed.</summary>
    /// <value>1 second by default; long enough for tiered compilation to reach tier 1.</value>
    public TimeSpan WarmupTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the target duration of one timed batch; the iteration count is calibrated to it.</summary>
    /// <value>250 ms by default.</value>
    public TimeSpan BatchTime { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets the number of timed batches whose median is reported.</summary>
    /// <value>15 by default; at least 1.</value>
    public int Batches { get; init; } = 15;

    /// <summary>Gets a fixed number of iterations per batch, which skips warmup and calibration; null to calibrate.</summary>
    /// <value>Null by default. Tests set it to keep runs short.</value>
    public int? Iterations { get; init; }

    /// <summary>Gets the number of idle instances created to measure retained memory.</summary>
    /// <value>5,000 by default.</value>
    public int IdleInstances { get; init; } = 5_000;

    /// <summary>Gets the number of rounds of idle-memory measurement whose median is reported.</summary>
    /// <value>5 by default.</value>
    public int IdleRounds { get; init; } = 5;

    /// <summary>Gets the upper bound on calibrated iterations per batch.</summary>
    /// <value>10,000,000 by default.</value>
    public int MaxIterations { get; init; } = 10_000_000;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is less than 1 or a time is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Batches, 1, nameof(Batches));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleInstances, 1, nameof(IdleInstances));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleRounds, 1, nameof(IdleRounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
        if (Iterations is { } iterations)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1, nameof(Iterations));
        }

        if (BatchTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchTime), BatchTime, "BatchTime must be positive.");
        }

        if (WarmupTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupTime), WarmupTime, "WarmupTime must not be negative.");
        }
    }
}
