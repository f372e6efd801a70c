using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Graph.Engine.Diagnostics;

/// <summary>
/// The names under which the engine reports: one <see cref="Meter"/> and one <see cref="ActivitySource"/>,
/// both named <see cref="EngineInfo.Name"/>, and the instrument names as constants.
/// </summary>
public static class EngineDiagnostics
{
    /// <summary>The name of the engine's <see cref="Meter"/> and <see cref="ActivitySource"/>.</summary>
    public const string SourceName = EngineInfo.Name;

    /// <summary>Observable gauge: messages waiting in an actor's mailbox (tag <see cref="ActorTag"/>).</summary>
    public const string MailboxDepth = "graph.actor.mailbox.depth";

    /// <summary>Observable gauge: mailbox depth divided by capacity, 0 to 1 (tag <see cref="ActorTag"/>; absent for unbounded mailboxes).</summary>
    public const string MailboxUtilization = "graph.actor.mailbox.utilization";

    /// <summary>Counter: messages handled (successfully or not).</summary>
    public const string MessagesProcessed = "graph.actor.messages.processed";

    /// <summary>Counter: messages dead-lettered (tag <see cref="ReasonTag"/>).</summary>
    public const string MessagesDeadLettered = "graph.actor.messages.dead_lettered";

    /// <summary>Histogram: handler duration in milliseconds.</summary>
    public const string HandlerDuration = "graph.actor.handler.duration";

    /// <summary>Counter: handler failures.</summary>
    public const string HandlerFailures = "graph.actor.handler.failures";

    /// <summary>Counter: restarts decided by supervisors (tags <see cref="SupervisorTag"/> and <see cref="ChildTag"/>).</summary>
    public const string Restarts = "graph.supervisor.restarts";

    /// <summary>Tag naming an actor by path.</summary>
    public const string ActorTag = "actor";

    /// <summary>Tag naming a dead-letter reason.</summary>
    public const string ReasonTag = "reason";

    /// <summary>Tag naming a supervisor by path.</summary>
    public const string SupervisorTag = "supervisor";

    /// <summary>Tag naming a supervised child by id.</summary>
    public const string ChildTag = "child";

    internal static readonly Meter Meter = new(SourceName);

    internal static readonly ActivitySource ActivitySource = new(SourceName);
}
