namespace Graph.Engine.Actors;

/// <summary>
/// The parent a supervised actor reports to. Every such parent hears of the actor's stop; a supervisor
/// (<see cref="IChildSupervisor"/>) also hears of its failures, one way. An actor whose parent is not a supervisor
/// stops when its handler fails.
/// </summary>
internal interface IChildParent
{
    /// <summary>Called once when the child has stopped, whatever the cause; must not block.</summary>
    void OnChildStopped(ActorRef child, StopCause cause, Exception? reason);
}
