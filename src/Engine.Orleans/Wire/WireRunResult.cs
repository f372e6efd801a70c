namespace Graph.Engine.Orleans.Wire;

/// <summary>A run's outcome on the wire (see <see cref="Graphs.GraphRunResult{TState}"/>).</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireRunResult
{
    [Id(0)]
    public bool Interrupted { get; init; }

    [Id(1)]
    public required byte[] State { get; init; }

    [Id(2)]
    public required WireInterrupt[] Interrupts { get; init; }

    [Id(3)]
    public string? ThreadId { get; init; }

    [Id(4)]
    public long? CheckpointId { get; init; }

    /// <summary>The run has not ended within the call's wait: ask again with the same call id.</summary>
    [Id(5)]
    public bool Pending { get; init; }

    /// <summary>The answer to a call whose run goes on.</summary>
    public static WireRunResult StillRunning { get; } = new() { Pending = true, State = [], Interrupts = [] };
}
