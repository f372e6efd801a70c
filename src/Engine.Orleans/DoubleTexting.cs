namespace Graph.Engine.Orleans;

/// <summary>What a thread does when a run is started on it while another run is in flight (LangGraph's "double texting").</summary>
public enum DoubleTexting
{
    /// <summary>Refuse the new run with <see cref="ThreadBusyException"/>; the running one goes on.</summary>
    Reject = 0,

    /// <summary>Start the new run when the running one has ended (in arrival order).</summary>
    Enqueue = 1,

    /// <summary>Cancel the running run (its thread keeps the checkpoints it wrote) and start the new one.</summary>
    Interrupt = 2,

    /// <summary>
    /// Cancel the running run, delete every checkpoint it wrote once it has ended (the thread is as it was before it),
    /// and start the new run. A run resumed after a failover is rolled back the same way: its checkpoints carry its call id.
    /// </summary>
    Rollback = 3,
}
