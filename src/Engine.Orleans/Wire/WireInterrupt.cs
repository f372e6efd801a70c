namespace Graph.Engine.Orleans.Wire;

/// <summary>A pending interrupt on the wire (see <see cref="Graphs.GraphInterrupt"/>).</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireInterrupt
{
    [Id(0)]
    public required string Id { get; init; }

    [Id(1)]
    public required string Node { get; init; }

    [Id(2)]
    public required string TaskId { get; init; }

    [Id(3)]
    public int Kind { get; init; }

    [Id(4)]
    public required WireValue Value { get; init; }
}
