namespace Graph.Engine.Orleans.Runs;

/// <summary>A run in flight: which thread, graph and call, and the silo hosting it.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="Graph">The registered graph's name.</param>
/// <param name="CallId">The call (and run) id.</param>
/// <param name="Silo">The hosting silo's address (its parsable form).</param>
internal sealed record RunRecord(string ThreadId, string Graph, string CallId, string Silo);
