using Microsoft.Extensions.Logging;

namespace Graph.Engine.Diagnostics;

/// <summary>The graph layer's structured log messages (category <see cref="Category"/>).</summary>
internal static partial class GraphLog
{
    public const string Category = EngineInfo.Name + ".Graphs";

    [LoggerMessage(EventId = 3000, EventName = "GraphNodeRetry", Level = LogLevel.Warning, Message = "Run {RunId}: node {Node} failed in step {Step} on attempt {Attempt}; retrying")]
    public static partial void NodeRetry(ILogger logger, Exception exception, string runId, string node, int step, int attempt);

    [LoggerMessage(EventId = 3001, EventName = "GraphRunFailed", Level = LogLevel.Error, Message = "Run {RunId} failed in step {Step}")]
    public static partial void RunFailed(ILogger logger, Exception exception, string runId, int step);

    [LoggerMessage(EventId = 3002, EventName = "GraphJoinSkipped", Level = LogLevel.Warning, Message = "Run {RunId}: join into {Target} never fired")]
    public static partial void JoinSkipped(ILogger logger, string runId, string target);

    [LoggerMessage(EventId = 3003, EventName = "GraphNodeInstanceDisposeFailed", Level = LogLevel.Warning, Message = "Disposing an instance of node {Node} failed")]
    public static partial void InstanceDisposeFailed(ILogger logger, Exception exception, string node);

    [LoggerMessage(EventId = 3010, EventName = "GraphStreamWaiting", Level = LogLevel.Debug, Message = "Run {RunId} waits after step {Step}: its stream's consumer is behind")]
    public static partial void StreamWaiting(ILogger logger, string runId, int step);
}
