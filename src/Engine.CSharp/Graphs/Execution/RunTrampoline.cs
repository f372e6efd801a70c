namespace Graph.Engine.Graphs;

/// <summary>
/// The run the current thread works on (the trampoline's owner), whatever its graph's types: its next steps are
/// claimed by this thread's loop. One non-generic thread-static, so reading it is a plain thread-local load.
/// </summary>
internal static class RunTrampoline
{
    [ThreadStatic]
    private static object? owner;

    /// <summary>The run this thread works on; null when none.</summary>
    public static object? Owner
    {
        get => owner;
        set => owner = value;
    }

    /// <summary>
    /// Whether a run may start on the calling thread: it works on no run, and no synchronization context or
    /// non-default scheduler would capture the nodes' continuations (they must never need the caller's thread).
    /// </summary>
    public static bool CanStartInline =>
        owner is null && SynchronizationContext.Current is null && ReferenceEquals(TaskScheduler.Current, TaskScheduler.Default);
}
