namespace Graph.Engine.Orleans.Wire;

/// <summary>A failed task of a stopped step on the wire (see <see cref="Graphs.TaskError"/>).</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireTaskError
{
    [Id(0)]
    public required string TaskId { get; init; }

    [Id(1)]
    public required string Node { get; init; }

    [Id(2)]
    public required string Error { get; init; }
}
