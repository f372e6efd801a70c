namespace Graph.Engine.Actors;

/// <summary>
/// The hook through which an actor reports to its supervisor. Without one, a failed actor stops and
/// dead-letters its queue.
/// </summary>
internal interface IChildFailureHandler
{
    /// <summary>
    /// Called on the failing child's own processing loop, after the failing message was dead-lettered.
    /// The child handles no further message until the returned task completes (a restart delay is
    /// simply a delay here). <see cref="ChildFailureDirective.Restart"/> replaces the child's instance in place.
    /// </summary>
    ValueTask<ChildFailureDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message);

    /// <summary>Called once when the child has stopped, whatever the cause.</summary>
    void OnChildStopped(ActorRef child, StopCause cause, Exception? reason);
}
