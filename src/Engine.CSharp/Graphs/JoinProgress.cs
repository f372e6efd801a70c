namespace Graph.Engine.Graphs;

/// <summary>The progress of one join: its sources that finished since it last fired.</summary>
internal sealed record JoinProgress(string Target, IReadOnlyList<string> Sources, IReadOnlyList<string> Finished);
