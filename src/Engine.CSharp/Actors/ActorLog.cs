using Microsoft.Extensions.Logging;

namespace Graph.Engine.Actors;

/// <summary>The actor layer's structured log messages (category <see cref="Category"/>).</summary>
internal static partial class ActorLog
{
    public const string Category = EngineInfo.Name + ".Actors";

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Actor {Path} started")]
    public static partial void Started(ILogger logger, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Actor {Path} stopped as {State}")]
    public static partial void Stopped(ILogger logger, string path, ActorState state);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Actor {Path} failed handling a {MessageType}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string path, string messageType);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Actor {Path} has been handling a {MessageType} for {ElapsedMs} ms")]
    public static partial void SlowHandler(ILogger logger, string path, string messageType, double elapsedMs);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Dead letter for {Path}: {Reason}")]
    public static partial void DeadLetter(ILogger logger, string path, DeadLetterReason reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Actor {Path} did not drain within {TimeoutMs} ms; cancelling its handler and dead-lettering {Remaining} queued messages")]
    public static partial void DrainTimedOut(ILogger logger, string path, double timeoutMs, int remaining);
}
