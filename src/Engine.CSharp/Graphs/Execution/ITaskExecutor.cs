namespace Graph.Engine.Graphs;

/// <summary>
/// Runs a compiled graph's tasks. One executor per compiled graph, shared by all its concurrent runs.
/// <para>
/// Contract: <see cref="DispatchStep"/> must not block and must not run the step's tasks on the caller's stack unless
/// the caller is already working on that run, or is the thread starting it
/// (<see cref="GraphRun{TState, TUpdate}.IsStartingHere"/>); queue it otherwise: the caller may be a node's continuation. Each
/// task is claimed once with <see cref="GraphRun{TState, TUpdate}.TryClaim"/>; the executor then calls
/// <see cref="GraphRun{TState, TUpdate}.RunTask"/> (which applies retries, timeouts, events, metrics and reports
/// the outcome), or, if it cannot run the task at all, <see cref="GraphRun{TState, TUpdate}.OnTaskCompleted"/> with the
/// exception. Exactly one report per claimed task.
/// </para>
/// </summary>
internal interface ITaskExecutor<TState, TUpdate> : IAsyncDisposable
{
    /// <summary>The current step of <paramref name="run"/> is published: see that its tasks get claimed and run.</summary>
    void DispatchStep(GraphRun<TState, TUpdate> run);

    /// <summary>Works on <paramref name="run"/> as a queued helper (from the thread pool): claims and runs its tasks.</summary>
    void Work(GraphRun<TState, TUpdate> run);
}
