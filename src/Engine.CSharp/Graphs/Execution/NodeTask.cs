namespace Graph.Engine.Graphs;

/// <summary>
/// The message a node actor receives: one claimed task of one run, named by its index in the run's current step.
/// The claimed task stays in place until it reports (see <see cref="GraphRun{TState, TUpdate}.TryClaim"/>), so a
/// message waiting in a node's backlog or mailbox holds a reference and an index, not a copy of the task.
/// </summary>
internal readonly record struct NodeTask<TState, TUpdate>(GraphRun<TState, TUpdate> Run, int Index)
{
    /// <summary>The task, read from its run.</summary>
    public PlannedTask<TState, TUpdate> Task => Run.ClaimedTask(Index);
}
