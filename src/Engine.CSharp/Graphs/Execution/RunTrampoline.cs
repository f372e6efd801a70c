namespace Graph.Engine.Graphs;

/// <summary>
/// The run the current thread works on (the trampoline's owner), whatever its graph's types: its next steps are
/// claimed by this thread's loop. One non-generic thread-static, so reading it is a plain thread-local load.
/// </summary>
internal static class RunTrampoline
{
    [ThreadStatic]
    private static object? owner;

    [ThreadStatic]
    private static object? handedOff;

    /// <summary>The run this thread works on; null when none. Setting it drops a hand-off not taken.</summary>
    public static object? Owner
    {
        get => owner;
        set
        {
            owner = value;
            handedOff = null;
        }
    }

    /// <summary>
    /// Whether a run may start on the calling thread: it works on no run, and no synchronization context or
    /// non-default scheduler would capture the nodes' continuations (they must never need the caller's thread).
    /// </summary>
    public static bool CanStartInline =>
        owner is null && SynchronizationContext.Current is null && ReferenceEquals(TaskScheduler.Current, TaskScheduler.Default);

    /// <summary>
    /// Hands <paramref name="run"/>'s current step (one task, unpublished) to this thread if it works on the run
    /// (<see cref="Owner"/>): its loop takes the task next (<see cref="TakeHandOff"/>) before it claims anything else.
    /// </summary>
    /// <returns>False (nothing done) when this thread does not work on the run.</returns>
    public static bool TryHandOff(object run)
    {
        if (!ReferenceEquals(owner, run))
        {
            return false;
        }

        handedOff = run;
        return true;
    }

    /// <summary>Takes the step handed to this thread for <paramref name="run"/>; false when none is.</summary>
    public static bool TakeHandOff(object run)
    {
        if (!ReferenceEquals(handedOff, run))
        {
            return false;
        }

        handedOff = null;
        return true;
    }
}
