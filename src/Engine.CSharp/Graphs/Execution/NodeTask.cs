namespace Graph.Engine.Graphs;

/// <summary>The message a node actor receives: one task of one run.</summary>
internal readonly record struct NodeTask<TState, TUpdate>(GraphRun<TState, TUpdate> Run, PlannedTask<TState, TUpdate> Task);
