namespace Graph.Engine.Checkpoints;

/// <summary>
/// The result of a store's consistency check (<c>SqliteCheckpointer.CheckConsistencyAsync</c>,
/// <c>PostgresCheckpointer.CheckConsistencyAsync</c>): counts of each kind of broken reference, all 0 in a consistent store.
/// </summary>
/// <param name="DanglingStates">Checkpoints whose state is missing.</param>
/// <param name="UnusedStates">States no checkpoint uses (leaked).</param>
/// <param name="MissingChunks">Chunks a state lists that are missing (dangling).</param>
/// <param name="LeakedChunks">Chunks no state lists.</param>
/// <param name="WrongReferenceCounts">Chunks whose reference count differs from the number of times states list them.</param>
/// <param name="OrphanWrites">Pending writes whose checkpoint is missing.</param>
/// <param name="ThreadHeadMismatches">Threads without their head row, and head rows naming a missing checkpoint.</param>
public sealed record CheckpointConsistencyReport(
    long DanglingStates,
    long UnusedStates,
    long MissingChunks,
    long LeakedChunks,
    long WrongReferenceCounts,
    long OrphanWrites,
    long ThreadHeadMismatches)
{
    /// <summary>Checkpoints whose metadata names a shared properties record (the graph's fingerprint, stored once) that is missing.</summary>
    public long MissingSharedProperties { get; init; }

    /// <summary>Whether every count is 0.</summary>
    public bool IsConsistent =>
        MissingSharedProperties == 0 && DanglingStates == 0 && UnusedStates == 0 && MissingChunks == 0 && LeakedChunks == 0 && WrongReferenceCounts == 0 && OrphanWrites == 0 && ThreadHeadMismatches == 0;

    /// <summary>The counts as a sentence.</summary>
    /// <returns>A line for a log or a console.</returns>
    public override string ToString() =>
        $"{DanglingStates} dangling state(s), {UnusedStates} unused state(s), {MissingChunks} missing chunk(s), {LeakedChunks} leaked chunk(s), "
        + $"{WrongReferenceCounts} wrong chunk reference count(s), {OrphanWrites} orphan write(s), {ThreadHeadMismatches} thread head mismatch(es), "
        + $"{MissingSharedProperties} missing shared properties";
}
