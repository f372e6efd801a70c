namespace Graph.Engine.Checkpoints;

/// <summary>What one application of a <see cref="RetentionPolicy"/> deleted (or, for a dry run, would delete).</summary>
/// <param name="ThreadsScanned">The threads examined.</param>
/// <param name="ThreadsDeleted">The idle threads deleted whole, in ordinal order.</param>
/// <param name="CheckpointsDeleted">The checkpoints deleted, those of deleted threads included.</param>
/// <param name="DryRun">Whether nothing was deleted (the counts say what would have been).</param>
public sealed record RetentionResult(int ThreadsScanned, IReadOnlyList<string> ThreadsDeleted, int CheckpointsDeleted, bool DryRun);
