namespace Graph.Engine.Graphs;

/// <summary>A task started (emitted once per task, before its first attempt).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep.</param>
/// <param name="Node">The node.</param>
/// <param name="TaskIndex">The task's index in the step's planned order.</param>
public sealed record TaskStartedEvent(string RunId, int Step, string Node, int TaskIndex) : GraphEvent(RunId, Step);
