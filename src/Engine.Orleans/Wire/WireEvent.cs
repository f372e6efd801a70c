namespace Graph.Engine.Orleans.Wire;

/// <summary>A run's stream event on the wire (see <see cref="Graphs.GraphEvent"/>); which fields are set depends on <see cref="Kind"/>.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireEvent
{
    [Id(0)]
    public required WireEventKind Kind { get; init; }

    [Id(1)]
    public required string RunId { get; init; }

    [Id(2)]
    public int Step { get; init; }

    /// <summary>The event's position in its run's stream.</summary>
    [Id(3)]
    public long Id { get; init; }

    [Id(4)]
    public string? Node { get; init; }

    [Id(5)]
    public int TaskIndex { get; init; }

    /// <summary>The state (step and run finished) or the task's update (task finished), in the graph's serializer.</summary>
    [Id(6)]
    public byte[]? Bytes { get; init; }

    /// <summary>A custom event's payload.</summary>
    [Id(7)]
    public WireValue? Payload { get; init; }

    [Id(8)]
    public long? CheckpointId { get; init; }

    [Id(9)]
    public string? ThreadId { get; init; }

    /// <summary>The checkpoint's source (checkpoint saved).</summary>
    [Id(10)]
    public int Source { get; init; }

    [Id(11)]
    public WireInterrupt[]? Interrupts { get; init; }

    /// <summary>The step's nodes (step finished); the finished sources (join skipped).</summary>
    [Id(12)]
    public string[]? Nodes { get; init; }

    /// <summary>The missing sources (join skipped).</summary>
    [Id(13)]
    public string[]? Missing { get; init; }

    /// <summary>How many events were dropped (events dropped).</summary>
    [Id(14)]
    public long Count { get; init; }

    /// <summary>The failure's type and message (run failed).</summary>
    [Id(15)]
    public string? Message { get; init; }
}

/// <summary>The kinds of <see cref="WireEvent"/>: the engine's events that travel to a cluster client.</summary>
internal enum WireEventKind
{
    TaskStarted,
    TaskFinished,
    StepFinished,
    Custom,
    JoinSkipped,
    Interrupted,
    CheckpointSaved,
    EventsDropped,
    RunFinished,
    RunFailed,
}
