namespace Graph.Engine.Checkpoints;

/// <summary>
/// Metadata properties some of whose entries every checkpoint of one compiled graph records alike (its fingerprint),
/// held as one array shared by all of them, so a store may keep those entries once
/// (<see cref="Storage.SharedProperties"/>) rather than in every checkpoint. Implementations are immutable, so stores
/// keep them without copying (<see cref="Checkpoint.Detach()"/>).
/// </summary>
internal interface ISharedEntries
{
    /// <summary>The shared entries (also enumerated by the properties themselves); the same array for every checkpoint of the graph.</summary>
    KeyValuePair<string, string>[] Shared { get; }
}
