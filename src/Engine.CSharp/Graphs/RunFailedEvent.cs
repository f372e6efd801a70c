namespace Graph.Engine.Graphs;

/// <summary>The run failed, was cancelled or timed out; the last event of such a stream (the stream then throws <paramref name="Exception"/>).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The step in which it failed.</param>
/// <param name="Exception">Why.</param>
public sealed record RunFailedEvent(string RunId, int Step, Exception Exception) : GraphEvent(RunId, Step);
