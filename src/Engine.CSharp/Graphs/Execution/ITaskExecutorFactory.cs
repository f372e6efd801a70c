namespace Graph.Engine.Graphs;

/// <summary>
/// Makes the executor of a compiled graph in place of the default <see cref="ActorTaskExecutor{TState, TUpdate}"/>
/// (set through <see cref="GraphCompileOptions.TaskExecutorFactory"/>). The seam used by Graph.Engine.Testing's
/// deterministic run mode, where a step's tasks run one at a time in an order chosen by a seed.
/// </summary>
internal interface ITaskExecutorFactory
{
    /// <summary>Creates the executor of one compiled graph; it must keep the <see cref="ITaskExecutor{TState, TUpdate}"/> contract.</summary>
    ITaskExecutor<TState, TUpdate> Create<TState, TUpdate>(GraphModel<TState, TUpdate> model, GraphCompileOptions options);
}
