namespace Graph.Engine.Graphs;

/// <summary>
/// What a run started on a thread that already has a run in flight does (double texting; LangGraph Platform's multitask
/// strategies). Set per run with <see cref="RunOptions.MultitaskStrategy"/>; applies to runs with a checkpointer and a
/// thread id, among the runs of one process on one checkpointer (docs/durability.md).
/// </summary>
public enum MultitaskStrategy
{
    /// <summary>The new run is refused with <see cref="GraphThreadBusyException"/>; the running one goes on. The default.</summary>
    Reject,

    /// <summary>The new run waits until every run admitted before it on the thread has ended, then starts.</summary>
    Enqueue,

    /// <summary>
    /// The running run stops at its next step boundary (after saving that step's checkpoint), interrupted before the
    /// tasks it planned, so it stays resumable; the new run then starts on the thread, after it.
    /// </summary>
    Interrupt,

    /// <summary>
    /// The running run is cancelled and, once it has ended, every checkpoint it wrote is deleted; the new run then
    /// starts on the thread as it was before the cancelled run.
    /// </summary>
    Rollback,
}
