namespace Graph.Engine.Graphs;

/// <summary>The base of every event yielded by <see cref="CompiledGraph{TState, TUpdate}.StreamAsync"/>.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep (1-based; 0 for events before the first step).</param>
public abstract record GraphEvent(string RunId, int Step);
