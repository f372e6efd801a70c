namespace Graph.Engine.Orleans.Wire;

/// <summary>An arbitrary value on the wire: its .NET type name and its bytes in the graph's serializer.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class WireValue
{
    /// <summary>The assembly-qualified type name, or null for a null value.</summary>
    [Id(0)]
    public string? Type { get; init; }

    /// <summary>The serialized value (empty for null).</summary>
    [Id(1)]
    public byte[] Bytes { get; init; } = [];
}
