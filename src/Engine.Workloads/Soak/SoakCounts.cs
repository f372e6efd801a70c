namespace Graph.Engine.Workloads.Soak;

/// <summary>What must not accumulate over a soak, counted before the first run and after the last.</summary>
/// <param name="Actors">Actors in the soak's actor system (the graph's node actors).</param>
/// <param name="Timers">Active timers in the process (<see cref="Timer.ActiveCount"/>).</param>
/// <param name="RunsInFlight">Runs started and not ended (the engine's <c>graph.runs.in_flight</c>).</param>
public sealed record SoakCounts(int Actors, long Timers, long RunsInFlight);
