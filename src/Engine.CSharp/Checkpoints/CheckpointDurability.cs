namespace Graph.Engine.Checkpoints;

/// <summary>
/// How durably a run persists its checkpoints. The runner picks the mode and passes it to
/// <see cref="ICheckpointer.PutAsync"/>; stores use it to decide when to pay for a disk sync.
/// </summary>
/// <remarks>
/// In every mode, calls a runner makes one after the other on one store are applied in call order,
/// even when the runner does not await a call before making the next: pending writes of a step are
/// always stored before that step's checkpoint, and a checkpoint before its successors.
/// </remarks>
public enum CheckpointDurability
{
    /// <summary>
    /// The runner awaits each checkpoint before starting the next step, and the store syncs it to stable
    /// storage before the put completes. Survives a process crash and a power loss. Costs one disk sync
    /// per step (concurrent runs share syncs: the SQLite store commits simultaneous puts in one transaction).
    /// </summary>
    PerStepSync,

    /// <summary>
    /// The runner starts the next step while the checkpoint is being written and awaits the put later
    /// (at the latest before the run ends). The store may batch puts into one transaction and defer the
    /// disk sync. A process crash loses at most the puts not yet committed; a power loss may also lose
    /// recently committed ones. No disk sync per step.
    /// </summary>
    Async,

    /// <summary>
    /// The runner keeps checkpoints in memory and puts only the last one when the run ends, normally,
    /// by interrupt or by failure; that put is synced like <see cref="PerStepSync"/>. Cheapest;
    /// a crash mid-run loses the whole run's progress.
    /// </summary>
    AtExit,
}
