namespace Graph.Engine.Actors;

/// <summary>Why an actor stopped, as a supervisor sees it (OTP's exit reasons).</summary>
internal enum StopCause
{
    /// <summary>The actor stopped itself (<see cref="ActorContext.Stop"/>): a normal exit.</summary>
    Normal,

    /// <summary>Something else asked it to stop (a parent, a supervisor, the system, a user): a shutdown.</summary>
    Shutdown,

    /// <summary>It failed and was not restarted: an abnormal exit.</summary>
    Failure,
}
