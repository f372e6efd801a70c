using Graph.Engine.Checkpoints;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>What goes wrong in one simulated run, and where.</summary>
public enum FaultKind
{
    /// <summary>Nothing: the run must finish with the reference state.</summary>
    None,

    /// <summary>The caller cancels the run at await point <see cref="FaultPlan.At"/> of its nodes.</summary>
    CancelAtAwait,

    /// <summary>Store write <see cref="FaultPlan.At"/> fails (an I/O error, as a failed fsync).</summary>
    StoreWriteFails,

    /// <summary>The process dies right after checkpoint put <see cref="FaultPlan.At"/>, before the pending writes that follow it: nothing more reaches the store.</summary>
    CrashAfterPut,
}

/// <summary>One fault schedule: the fault, where it strikes, how slow store writes are, and the durability mode.</summary>
/// <param name="Kind">The fault.</param>
/// <param name="At">Where it strikes (1-based count of await points, writes or puts).</param>
/// <param name="WriteYields">How many times each store write yields to the scheduler before it lands (0: synchronous).</param>
/// <param name="Durability">The run's checkpoint durability.</param>
/// <param name="SlowWrites">Whether each store write also hangs for a minute of simulated time (it lands only when nothing else can run).</param>
public sealed record FaultPlan(FaultKind Kind, int At, int WriteYields, CheckpointDurability Durability, bool SlowWrites = false)
{
    public override string ToString() => $"{Kind} at {At}, writes yield {WriteYields}x{(SlowWrites ? " and hang a minute" : string.Empty)}, {Durability}";
}
