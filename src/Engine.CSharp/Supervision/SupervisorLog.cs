using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

/// <summary>The supervision layer's structured log messages (category <see cref="Category"/>).</summary>
internal static partial class SupervisorLog
{
    public const string Category = EngineInfo.Name + ".Supervision";

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Supervisor {Path} started child {ChildId}")]
    public static partial void ChildStarted(ILogger logger, string path, string childId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Supervisor {Path}: child {ChildId} failed; directive {Directive}")]
    public static partial void ChildFailed(ILogger logger, Exception exception, string path, string childId, SupervisorDirective directive);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Supervisor {Path}: child {ChildId} exited ({Kind}); restart: {WillRestart}")]
    public static partial void ChildExited(ILogger logger, string path, string childId, ChildExitKind kind, bool willRestart);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Supervisor {Path} restarted child {ChildId} (attempt {Attempt}, after {DelayMs} ms)")]
    public static partial void ChildRestarted(ILogger logger, string path, string childId, int attempt, double delayMs);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Supervisor {Path} terminated child {ChildId}")]
    public static partial void ChildTerminated(ILogger logger, string path, string childId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Supervisor {Path} reached its restart intensity ({MaxRestarts} in {Period}) on child {ChildId}")]
    public static partial void IntensityReached(ILogger logger, string path, int maxRestarts, TimeSpan period, string childId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Supervisor {Path} failed and escalates (root: {IsRoot})")]
    public static partial void Escalated(ILogger logger, Exception reason, string path, bool isRoot);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Supervisor {Path}: the decider threw for child {ChildId}; escalating")]
    public static partial void DeciderFailed(ILogger logger, Exception exception, string path, string childId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Supervisor {Path} could not restart child {ChildId}; trying again")]
    public static partial void RestartFailed(ILogger logger, Exception exception, string path, string childId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Supervisor {Path} abandoned child {ChildId}: its handler ignored its cancellation for {KillTimeout}")]
    public static partial void ChildAbandoned(ILogger logger, string path, string childId, TimeSpan killTimeout);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Supervisor {Path} shuts itself down: significant child {ChildId} exited")]
    public static partial void AutoShutdown(ILogger logger, string path, string childId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Supervisor {Path}: the start of child {ChildId} returned ignore; kept, not running")]
    public static partial void ChildIgnored(ILogger logger, string path, string childId);
}
