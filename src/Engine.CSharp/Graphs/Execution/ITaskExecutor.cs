namespace Graph.Engine.Graphs;

/// <summary>
/// Runs a compiled graph's tasks. One executor per compiled graph, shared by all its concurrent runs.
/// <para>
/// Contract: <see cref="Dispatch"/> must not block and must not run the task inline on the caller's stack (queue it:
/// the caller may be the thread that just finished the previous step). Eventually the executor calls
/// <see cref="GraphRun{TState, TUpdate}.RunTaskAsync"/> (which applies retries, timeouts, events, metrics and reports
/// the outcome), or, if it cannot run the task at all, <see cref="GraphRun{TState, TUpdate}.OnTaskCompleted"/> with the
/// exception. Exactly one report per dispatched task.
/// </para>
/// </summary>
internal interface ITaskExecutor<TState, TUpdate> : IAsyncDisposable
{
    /// <summary>Queues <paramref name="task"/> of <paramref name="run"/>.</summary>
    void Dispatch(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task);
}
