namespace Graph.Engine.Graphs;

/// <summary>Supervision: the node actors' supervisor (docs/graphs.md).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>The executor of the graph's tasks (for diagnostics and tests).</summary>
    internal ITaskExecutor<TState, TUpdate> Executor => executor;
}
