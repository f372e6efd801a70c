namespace Graph.Engine.Graphs;

/// <summary>
/// Where the engine goes on after awaiting a node's task. Everywhere else it is the thread that completed the task
/// (<c>ConfigureAwait(false)</c>): a caller's synchronization context never captures the engine's work. On a thread
/// that a deterministic scheduler pumps (the testing kit's, which sets <see cref="OnCapturedContext"/> while it runs), it
/// is that scheduler, so a node that completes there is continued there, in the order its seed chose, instead of on the
/// thread pool.
/// </summary>
internal static class NodeContinuations
{
    [ThreadStatic]
    private static bool onCapturedContext;

    /// <summary>Whether awaits of node tasks on the current thread continue on its captured context.</summary>
    public static bool OnCapturedContext
    {
        get => onCapturedContext;
        set => onCapturedContext = value;
    }
}
