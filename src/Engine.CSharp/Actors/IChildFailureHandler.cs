namespace Graph.Engine.Actors;

/// <summary>
/// A parent that decides a child's failure on the child's own loop: the child handles nothing until the
/// returned directive. Without any parent, a failed actor stops and dead-letters its queue. Supervisors use
/// the one-way <see cref="IChildSupervisor"/> instead.
/// </summary>
internal interface IChildFailureHandler : IChildParent
{
    /// <summary>
    /// Called on the failing child's own processing loop, after the failing message was dead-lettered.
    /// <see cref="ChildFailureDirective.Restart"/> replaces the child's instance in place.
    /// </summary>
    ValueTask<ChildFailureDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message);
}
