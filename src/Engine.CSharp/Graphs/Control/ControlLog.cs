using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>Log messages of failure and flow control (category Graph.Engine.Graphs).</summary>
internal static partial class ControlLog
{
    [LoggerMessage(EventId = 3170, EventName = "GraphNodeFailureHandled", Level = LogLevel.Warning, Message = "Run {RunId}: the failure of node {Node} in step {Step} was handled by its error handler")]
    public static partial void FailureHandled(ILogger logger, Exception? exception, string runId, string node, int step);
}
