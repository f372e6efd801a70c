namespace Graph.Engine.Workloads.Scale;

/// <summary>What <see cref="ChainScale"/> measured, with the targets of the execution core's issue.</summary>
/// <param name="Points">chain10 at each level of concurrency, lowest first.</param>
/// <param name="InFlightRuns">How many runs were held in flight to weigh them.</param>
/// <param name="InFlightBytesPerRun">The heap each of those runs held while parked in its first node, after a full collection.</param>
public sealed record ScaleReport(IReadOnlyList<ScalePoint> Points, int InFlightRuns, double InFlightBytesPerRun)
{
    /// <summary>The lowest share of the 1,000-run figure any level may reach: 0.8.</summary>
    public const double MinShareOfThousand = 0.8;

    /// <summary>The most a run in flight may hold: 300 B.</summary>
    public const double MaxInFlightBytes = 300;

    /// <summary>Gets the engine's runs/s at 1,000 concurrent runs; null when that level was not measured.</summary>
    public double? Thousand => Points.FirstOrDefault(p => p.ConcurrentRuns == 1_000)?.Engine.OperationsPerSecond;

    /// <summary>Gets the engine's runs/s at <paramref name="point"/> as a share of <see cref="Thousand"/>.</summary>
    /// <param name="point">A measured point.</param>
    /// <returns>The share; null without the 1,000-run figure.</returns>
    public double? ShareOfThousand(ScalePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return Thousand is { } thousand ? point.Engine.OperationsPerSecond / thousand : null;
    }

    /// <summary>Gets whether no level fell below <see cref="MinShareOfThousand"/> of the 1,000-run figure.</summary>
    public bool Scales => Points.All(p => ShareOfThousand(p) is not { } share || share >= MinShareOfThousand);

    /// <summary>Gets whether a run in flight held at most <see cref="MaxInFlightBytes"/>.</summary>
    public bool InFlightSmall => InFlightBytesPerRun <= MaxInFlightBytes;
}
