namespace Graph.Engine.Workloads.Measuring;

/// <summary>What a durable workload's checkpoint store did per run, averaged over every run of the workload (warm-up included).</summary>
/// <param name="StatementsPerRun">SQL statements the store's writer ran per run.</param>
/// <param name="SyncedCommitsPerRun">Commits synced to disk per run (each one write-ahead-log fsync).</param>
/// <param name="FileBytesPerRun">The store file's size after closing, divided by the runs written to it.</param>
public sealed record StoreFigures(double StatementsPerRun, double SyncedCommitsPerRun, double FileBytesPerRun);
