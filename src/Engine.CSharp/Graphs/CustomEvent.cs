namespace Graph.Engine.Graphs;

/// <summary>An event a node wrote with <see cref="NodeContext.Emit(object?)"/>.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep.</param>
/// <param name="Node">The node that emitted it.</param>
/// <param name="TaskIndex">The emitting task's index.</param>
/// <param name="Payload">The payload.</param>
public sealed record CustomEvent(string RunId, int Step, string Node, int TaskIndex, object? Payload) : GraphEvent(RunId, Step);
