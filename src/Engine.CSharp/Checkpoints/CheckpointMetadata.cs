using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>What produced a checkpoint: its source, the nodes that wrote to it and free-form properties.</summary>
/// <remarks>Equality compares the writers in order and the properties as a set of pairs.</remarks>
[DebuggerDisplay("{Source} by {Writers.Count} writer(s)")]
public sealed record CheckpointMetadata
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>(0);

    /// <summary>Why the checkpoint was written.</summary>
    public required CheckpointSource Source { get; init; }

    /// <summary>The nodes whose updates the step applied, in the order the reducer received them.</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> Writers { get; init; } = [];

    /// <summary>Free-form string properties (user tags, run id, ...).</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = NoProperties;

    /// <summary>Compares source, writers and properties by content.</summary>
    /// <param name="other">The metadata to compare with.</param>
    /// <returns><see langword="true"/> when both have the same content.</returns>
    public bool Equals(CheckpointMetadata? other) =>
        other is not null
        && Source == other.Source
        && ContentEquality.Lists(Writers, other.Writers)
        && ContentEquality.Dictionaries(Properties, other.Properties);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Source, Writers.Count, Properties.Count);
}
