namespace Graph.Engine.Checkpoints;

/// <summary>What a run's kept checkpoints have in common, held once for all of them.</summary>
public sealed partial class InMemoryCheckpointer
{
    /// <summary>
    /// The parts of a kept checkpoint that rarely change from one checkpoint to the next (state type, properties, planner
    /// state, the offset of its creation time): one immutable object that consecutive checkpoints share, so each record
    /// holds one reference instead of three fields and an offset. The runner's properties with a generated run id
    /// (<see cref="RunProperties.GeneratedNumber"/>) are shared by their graph's entries alone: the record keeps the run's
    /// number, so the runs of one graph share one shape however many threads they are on, and a kept run holds no
    /// object of its own for them. A checkpoint with a planner state (a graph with joins) has a shape of its own.
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

        /// <summary>
        /// Whether the properties are the runner's with a generated run id: a record of this shape then keeps its run's
        /// number, and its properties are that run's (<see cref="PropertiesOf"/>).
        /// </summary>
        public bool HasRunNumbers { get; } = properties is RunProperties { GeneratedNumber: not 0 };

        /// <summary>
        /// <paramref name="previous"/> when it holds the same parts (and no planner state), else a new shape. Properties
        /// with a generated run id match a shape made from the same graph's (the same shared entries), whatever its run.
        /// </summary>
        public static KeptShape For(KeptShape? previous, in ShapeParts parts)
        {
            var properties = parts.Properties.Count == 0 ? NoProperties : parts.Properties;
            var planner = parts.Planner is { Length: > 0 } ? parts.Planner : null;
            if (previous is not null && planner is null && previous.Planner is null && previous.OffsetMinutes == parts.OffsetMinutes
                && string.Equals(previous.StateType, parts.StateType, StringComparison.Ordinal)
                && SameProperties(previous, properties))
            {
                return previous;
            }

            return new KeptShape(parts.StateType, properties, planner, parts.OffsetMinutes);
        }

        /// <summary>The properties of a record of this shape that keeps <paramref name="runNumber"/> (0 when it keeps none).</summary>
        public IReadOnlyDictionary<string, string> PropertiesOf(long runNumber) =>
            runNumber == 0 ? Properties : new RunProperties(null, runNumber, ((RunProperties)Properties).Shared);

        /// <summary>
        /// Whether <paramref name="given"/> are properties a record of <paramref name="kept"/> can stand for: the same
        /// graph's entries when both have generated run ids, else the same content.
        /// </summary>
        private static bool SameProperties(KeptShape kept, IReadOnlyDictionary<string, string> given) =>
            given is RunProperties { GeneratedNumber: not 0 } run
                ? kept.HasRunNumbers && ReferenceEquals(((RunProperties)kept.Properties).Shared, run.Shared)
                : !kept.HasRunNumbers && (ReferenceEquals(kept.Properties, given) || ContentEquality.Dictionaries(given, kept.Properties));
    }

    /// <summary>The parts of a checkpoint its <see cref="KeptShape"/> is made of, as given to a put.</summary>
    private readonly record struct ShapeParts(string StateType, IReadOnlyDictionary<string, string> Properties, byte[]? Planner, short OffsetMinutes)
    {
        /// <summary>The generated run id's number the record keeps, or 0 (<see cref="KeptShape.HasRunNumbers"/>).</summary>
        public long RunNumber => Properties is RunProperties run ? run.GeneratedNumber : 0;
    }
}
