namespace Graph.Engine.Actors;

/// <summary>How a supervisor's suspension of a child ended (<see cref="ActorRef.SuspendAsync"/>).</summary>
internal enum SuspendOutcome
{
    /// <summary>No handler runs and the instance is disposed; the actor waits for <see cref="ActorRef.ResumeSuspendedAsync"/>.</summary>
    Suspended,

    /// <summary>The actor is stopping on its own; its exit is reported as usual.</summary>
    Stopping,

    /// <summary>A handler ignored its cancellation past the kill timeout: the actor must be abandoned.</summary>
    Abandoned,
}
