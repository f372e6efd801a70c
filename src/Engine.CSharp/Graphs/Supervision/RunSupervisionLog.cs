using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>The log messages of supervised runs (category <see cref="Diagnostics.GraphLog.Category"/>).</summary>
internal static partial class RunSupervisionLog
{
    [LoggerMessage(EventId = 3100, EventName = "GraphRunRestarting", Level = LogLevel.Warning, Message = "Thread {ThreadId}: node {Node} failed in step {Step}; restart {Attempt} from the last checkpoint in {DelayMs} ms")]
    public static partial void Restarting(ILogger logger, Exception exception, string threadId, string node, int step, int attempt, double delayMs);

    [LoggerMessage(EventId = 3101, EventName = "GraphRunReloaded", Level = LogLevel.Information, Message = "Thread {ThreadId}: unfinished run reloaded; resuming from checkpoint {CheckpointId} in {DelayMs} ms")]
    public static partial void Reloaded(ILogger logger, string threadId, long checkpointId, double delayMs);

    [LoggerMessage(EventId = 3102, EventName = "GraphRunRestartsExhausted", Level = LogLevel.Error, Message = "Thread {ThreadId}: node {Node} failed in step {Step}; more than {MaxRestarts} restarts within {Period}: {Action}")]
    public static partial void Exhausted(ILogger logger, Exception exception, string threadId, string node, int step, int maxRestarts, TimeSpan period, RunExhaustedAction action);
}
