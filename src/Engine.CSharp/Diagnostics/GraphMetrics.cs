using System.Diagnostics.Metrics;
using Graph.Engine.Graphs;

namespace Graph.Engine.Diagnostics;

/// <summary>The graph layer's instruments, on the engine's one <see cref="EngineDiagnostics.Meter"/>.</summary>
internal static class GraphMetrics
{
    public static readonly Counter<long> Steps =
        EngineDiagnostics.Meter.CreateCounter<long>(GraphDiagnostics.StepsInstrument, "{step}", "Supersteps completed.");

    public static readonly Counter<long> Tasks =
        EngineDiagnostics.Meter.CreateCounter<long>(GraphDiagnostics.TasksInstrument, "{task}", "Tasks completed.");

    public static readonly Histogram<double> TaskDuration =
        EngineDiagnostics.Meter.CreateHistogram<double>(GraphDiagnostics.TaskDurationInstrument, "ms", "Task duration.");

    public static readonly Counter<long> CacheHits =
        EngineDiagnostics.Meter.CreateCounter<long>(GraphDiagnostics.CacheHitsInstrument, "{task}", "Tasks answered from the node cache.");

    public static readonly Counter<long> CacheMisses =
        EngineDiagnostics.Meter.CreateCounter<long>(GraphDiagnostics.CacheMissesInstrument, "{task}", "Cacheable tasks that ran.");

    public static readonly Counter<long> StreamDropped =
        EngineDiagnostics.Meter.CreateCounter<long>(GraphDiagnostics.StreamDroppedInstrument, "{event}", "Stream events dropped for a slow consumer.");

    public static readonly UpDownCounter<long> RunsInFlight =
        EngineDiagnostics.Meter.CreateUpDownCounter<long>(GraphDiagnostics.RunsInFlightInstrument, "{run}", "Runs in flight.");
}
