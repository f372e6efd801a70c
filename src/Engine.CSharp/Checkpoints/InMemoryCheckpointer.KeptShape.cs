namespace Graph.Engine.Checkpoints;

/// <summary>What a run's kept checkpoints have in common, held once for all of them.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// The parts of a kept checkpoint that rarely change from one checkpoint to the next (state type, properties, planner
    /// state, the offset of its creation time): one immutable object that consecutive checkpoints share (a run's,
    /// typically), so each record holds one reference instead of three fields and an offset. A checkpoint with a planner
    /// state (a graph with joins) has a shape of its own.
    /// </summary>
    private sealed class KeptShape(string stateType, IReadOnlyDictionary<string, string> properties, byte[]? planner, short offsetMinutes)
    {
        /// <summary>The properties of a checkpoint that has none.</summary>
        public static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>(0);

        public string StateType { get; } = stateType;

        public IReadOnlyDictionary<string, string> Properties { get; } = properties;

        /// <summary>The planner state, or null when empty.</summary>
        public byte[]? Planner { get; } = planner;

        /// <summary>The offset of the creation time, in minutes.</summary>
        public short OffsetMinutes { get; } = offsetMinutes;

        /// <summary><paramref name="previous"/> when it holds the same parts (and no planner state), else a new shape.</summary>
        public static KeptShape For(KeptShape? previous, in ShapeParts parts)
        {
            var properties = parts.Properties.Count == 0 ? NoProperties : parts.Properties;
            var planner = parts.Planner is { Length: > 0 } ? parts.Planner : null;
            if (previous is not null && planner is null && previous.Planner is null && previous.OffsetMinutes == parts.OffsetMinutes
                && string.Equals(previous.StateType, parts.StateType, StringComparison.Ordinal)
                && (ReferenceEquals(previous.Properties, properties) || ContentEquality.Dictionaries(properties, previous.Properties)))
            {
                return previous;
            }

            return new KeptShape(parts.StateType, properties, planner, parts.OffsetMinutes);
        }
    }

    /// <summary>The parts of a checkpoint its <see cref="KeptShape"/> is made of, as given to a put.</summary>
    private readonly record struct ShapeParts(string StateType, IReadOnlyDictionary<string, string> Properties, byte[]? Planner, short OffsetMinutes);
}
