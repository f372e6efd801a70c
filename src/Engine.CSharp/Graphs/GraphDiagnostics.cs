namespace Graph.Engine.Graphs;

/// <summary>
/// The names of the graph layer's instruments, activities and tags. They are reported on the engine's one Meter and
/// one ActivitySource, named <see cref="Diagnostics.EngineDiagnostics.SourceName"/>.
/// </summary>
public static class GraphDiagnostics
{
    /// <summary>Counter of supersteps completed.</summary>
    public const string StepsInstrument = "graph.steps";

    /// <summary>Counter of tasks completed (tagged with <see cref="NodeTag"/> and <see cref="OutcomeTag"/>).</summary>
    public const string TasksInstrument = "graph.tasks";

    /// <summary>Histogram of task durations in milliseconds (all attempts included).</summary>
    public const string TaskDurationInstrument = "graph.task.duration";

    /// <summary>Counter of tasks answered from the node cache (tagged with <see cref="NodeTag"/>).</summary>
    public const string CacheHitsInstrument = "graph.cache.hits";

    /// <summary>Counter of cacheable tasks that found no fresh entry and ran (tagged with <see cref="NodeTag"/>).</summary>
    public const string CacheMissesInstrument = "graph.cache.misses";

    /// <summary>Counter of stream events dropped because the consumer was behind (<see cref="StreamOverflow"/>).</summary>
    public const string StreamDroppedInstrument = "graph.stream.dropped";

    /// <summary>Up-down counter of runs in flight.</summary>
    public const string RunsInFlightInstrument = "graph.runs.in_flight";

    /// <summary>The activity of one run.</summary>
    public const string RunActivity = "graph.run";

    /// <summary>The activity of one task.</summary>
    public const string TaskActivity = "graph.task";

    /// <summary>Tag: node name.</summary>
    public const string NodeTag = "graph.node";

    /// <summary>Tag: step number.</summary>
    public const string StepTag = "graph.step";

    /// <summary>Tag: run id.</summary>
    public const string RunIdTag = "graph.run_id";

    /// <summary>Tag: thread id.</summary>
    public const string ThreadIdTag = "graph.thread_id";

    /// <summary>Tag: task outcome, <c>ok</c>, <c>interrupted</c> or <c>error</c>.</summary>
    public const string OutcomeTag = "graph.outcome";
}
