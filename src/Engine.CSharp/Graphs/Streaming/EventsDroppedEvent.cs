namespace Graph.Engine.Graphs;

/// <summary>
/// Events were dropped because the consumer read too slowly (<see cref="StreamOverflow.DropNewest"/> or
/// <see cref="StreamOverflow.DropOldest"/>); written just before the run's last event, and never dropped itself.
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The run's last step.</param>
/// <param name="Count">How many events were dropped in all.</param>
public sealed record EventsDroppedEvent(string RunId, int Step, long Count) : GraphEvent(RunId, Step);
