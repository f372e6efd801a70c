namespace Graph.Engine.Graphs;

/// <summary>The run reached its end; the last event of a successful stream.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The last superstep.</param>
/// <param name="State">The final state.</param>
public sealed record RunFinishedEvent<TState>(string RunId, int Step, TState State) : GraphEvent(RunId, Step);
