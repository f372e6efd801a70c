namespace Graph.Engine.Actors;

/// <summary>
/// The parent a supervised actor reports to. Every such parent hears of the actor's stop; how it hears of a
/// failure depends on its kind: one way (<see cref="IChildSupervisor"/>) or by deciding on the child's loop
/// (<see cref="IChildFailureHandler"/>).
/// </summary>
internal interface IChildParent
{
    /// <summary>Called once when the child has stopped, whatever the cause; must not block.</summary>
    void OnChildStopped(ActorRef child, StopCause cause, Exception? reason);
}
