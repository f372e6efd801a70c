namespace Graph.Engine.Sqlite;

/// <summary>The result of <see cref="SqliteCheckpointer.CheckConsistencyAsync"/>: counts of each kind of broken reference (all 0 in a consistent file).</summary>
/// <param name="DanglingStates">Checkpoints whose state is missing.</param>
/// <param name="UnusedStates">States no checkpoint uses (leaked).</param>
/// <param name="MissingChunks">Chunks a state lists that are missing (dangling).</param>
/// <param name="LeakedChunks">Chunks no state lists.</param>
/// <param name="WrongReferenceCounts">Chunks whose reference count differs from the number of times states list them.</param>
/// <param name="OrphanWrites">Pending writes whose checkpoint is missing.</param>
/// <param name="ThreadHeadMismatches">Threads without their head row, and head rows naming a missing checkpoint.</param>
public sealed record SqliteConsistencyReport(
    long DanglingStates,
    long UnusedStates,
    long MissingChunks,
    long LeakedChunks,
    long WrongReferenceCounts,
    long OrphanWrites,
    long ThreadHeadMismatches)
{
    /// <summary>Whether every count is 0.</summary>
    public bool IsConsistent =>
        DanglingStates == 0 && UnusedStates == 0 && MissingChunks == 0 && LeakedChunks == 0 && WrongReferenceCounts == 0 && OrphanWrites == 0 && ThreadHeadMismatches == 0;
}
