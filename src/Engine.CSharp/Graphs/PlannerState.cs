namespace Graph.Engine.Graphs;

/// <summary>
/// The serialisable part of a run's planner between steps (for checkpoints): the last completed step and, per join
/// (in declaration order, identified by target and sources), the sources finished since it last fired.
/// </summary>
internal sealed record PlannerState(int Step, IReadOnlyList<JoinProgress> Joins);
