namespace Graph.Engine.Orleans.Wire;

/// <summary>A state snapshot on the wire (see <see cref="Graphs.StateSnapshot{TState}"/>), the state in the graph's serializer.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireSnapshot
{
    [Id(0)]
    public required string ThreadId { get; init; }

    [Id(1)]
    public long CheckpointId { get; init; }

    [Id(2)]
    public long? ParentCheckpointId { get; init; }

    [Id(3)]
    public int Step { get; init; }

    [Id(4)]
    public required byte[] State { get; init; }

    [Id(5)]
    public required string[] Next { get; init; }

    [Id(6)]
    public required string[] CompletedTasks { get; init; }

    [Id(7)]
    public required WireInterrupt[] Interrupts { get; init; }

    [Id(8)]
    public int Source { get; init; }

    [Id(9)]
    public required string[] Writers { get; init; }

    [Id(10)]
    public required Dictionary<string, string> Properties { get; init; }

    [Id(11)]
    public DateTimeOffset CreatedAt { get; init; }

    [Id(12)]
    public WireTaskError[] Errors { get; init; } = [];
}
