namespace Graph.Engine.Actors;

/// <summary>The lifecycle of an actor.</summary>
public enum ActorState
{
    /// <summary>Being spawned: not yet registered or accepting messages.</summary>
    Starting,

    /// <summary>Accepting and handling messages.</summary>
    Running,

    /// <summary>No longer accepting messages; stopping its children, then draining its queue.</summary>
    Stopping,

    /// <summary>Stopped normally. Terminal.</summary>
    Stopped,

    /// <summary>Stopped because of a failure that was not handled by restarting. Terminal.</summary>
    Faulted,
}
