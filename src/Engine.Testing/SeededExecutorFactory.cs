using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>Makes <see cref="SeededTaskExecutor{TState, TUpdate}"/>s on one scheduler with one stub table.</summary>
internal sealed class SeededExecutorFactory(DeterministicScheduler scheduler, object stubs) : ITaskExecutorFactory
{
    public ITaskExecutor<TState, TUpdate> Create<TState, TUpdate>(GraphModel<TState, TUpdate> model, GraphCompileOptions options) =>
        new SeededTaskExecutor<TState, TUpdate>(
            model,
            scheduler,
            stubs as NodeStubs<TState, TUpdate> ?? throw new InvalidOperationException($"The stub table is for another state or update type than {typeof(TState).Name}/{typeof(TUpdate).Name}."));
}
