namespace Graph.Engine.Graphs;

/// <summary>Creates the executor of a compiled graph (set through <see cref="GraphCompileOptions.ExecutorFactory"/>).</summary>
internal interface ITaskExecutorFactory
{
    /// <summary>Creates an executor for <paramref name="model"/>; node factories are on <see cref="GraphModel{TState, TUpdate}.Nodes"/>.</summary>
    ITaskExecutor<TState, TUpdate> Create<TState, TUpdate>(GraphModel<TState, TUpdate> model, GraphCompileOptions options);
}
