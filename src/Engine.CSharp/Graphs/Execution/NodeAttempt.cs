using Polly;

namespace Graph.Engine.Graphs;

/// <summary>
/// The attempts of one task under a Polly pipeline (its retry policy's or its own): which run, node and step they
/// belong to (so a retry is logged with them), and how many have been made.
/// </summary>
internal abstract class NodeAttempt(string runId, string node, int step)
{
    /// <summary>Where the task's attempts ride on the <see cref="ResilienceContext"/>.</summary>
    public static readonly ResiliencePropertyKey<NodeAttempt> Key = new("Graph.Engine.NodeAttempt");

    public string RunId { get; } = runId;

    public string Node { get; } = node;

    public int Step { get; } = step;

    /// <summary>The attempts made so far (the current one included).</summary>
    public int Count { get; protected set; }
}
