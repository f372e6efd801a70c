using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>A decision of a supervisor, published on <see cref="ActorSystem.Events"/>.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When, from the system's <see cref="TimeProvider"/>.</param>
public abstract record SupervisorEvent(string Path, DateTimeOffset Timestamp) : ActorEvent(Path, Timestamp);

/// <summary>A supervisor started a child (first start, re-spawn or dynamic start).</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
public sealed record ChildStarted(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath) : SupervisorEvent(Path, Timestamp);

/// <summary>A child's handler threw and its supervisor decided what to do.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
/// <param name="Exception">What the handler threw.</param>
/// <param name="Message">The message being handled (dead-lettered).</param>
/// <param name="Directive">The decider's answer.</param>
public sealed record ChildFailed(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath, Exception Exception, object? Message, SupervisorDirective Directive) : SupervisorEvent(Path, Timestamp);

/// <summary>A child's actor stopped on its own (normal), at someone else's request (shutdown), or after a failure that was not restarted in place.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
/// <param name="Kind">How it exited.</param>
/// <param name="Reason">The failure, if any.</param>
/// <param name="WillRestart">Whether its restart type (and the decider) call for a restart.</param>
public sealed record ChildExited(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath, ChildExitKind Kind, Exception? Reason, bool WillRestart) : SupervisorEvent(Path, Timestamp)
{
    /// <summary>The term the child exited with (<see cref="Graph.Engine.Actors.ActorContext.Exit"/>): OTP's <c>{shutdown, Term}</c> or a custom reason.</summary>
    public object? Term { get; init; }
}

/// <summary>A child was restarted: a fresh instance in place, or a fresh actor at the same path.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When the new instance was about to start.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
/// <param name="Attempt">Consecutive restarts of this child since its last quiet period, from 1.</param>
/// <param name="Delay">The restart delay that was waited.</param>
public sealed record ChildRestarted(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath, int Attempt, TimeSpan Delay) : SupervisorEvent(Path, Timestamp);

/// <summary>A supervisor stopped a child (terminate request, a temporary child in a group restart, or the supervisor's own shutdown).</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
public sealed record ChildTerminated(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath) : SupervisorEvent(Path, Timestamp);

/// <summary>
/// A supervisor gave up waiting for a child whose handler ignored its cancellation (see
/// <see cref="SupervisorOptions.KillTimeout"/>): the child left the tree and its path; it stops whenever the
/// handler returns (as faulted with <see cref="ChildAbandonedException"/> unless a shutdown was already under way).
/// </summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child's id.</param>
/// <param name="ChildPath">The child's path.</param>
/// <param name="KillTimeout">How long its handler was waited for after its cancellation.</param>
public sealed record ChildAbandoned(string Path, DateTimeOffset Timestamp, string ChildId, string ChildPath, TimeSpan KillTimeout) : SupervisorEvent(Path, Timestamp);

/// <summary>A supervisor had one restart too many within its period: it stops its children and fails.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="ChildId">The child whose exit needed the restart.</param>
/// <param name="MaxRestarts">The configured maximum.</param>
/// <param name="Period">The configured window.</param>
public sealed record RestartIntensityReached(string Path, DateTimeOffset Timestamp, string ChildId, int MaxRestarts, TimeSpan Period) : SupervisorEvent(Path, Timestamp);

/// <summary>A supervisor failed (intensity reached or a decider escalated) and handed the failure to its own supervisor, or, at the top, to the system.</summary>
/// <param name="Path">The supervisor's path.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="IsRoot">True when nobody supervises it: the failure faults its completion and the system's.</param>
public sealed record SupervisorEscalated(string Path, DateTimeOffset Timestamp, Exception Reason, bool IsRoot) : SupervisorEvent(Path, Timestamp);
