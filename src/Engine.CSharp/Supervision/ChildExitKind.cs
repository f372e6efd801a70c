namespace Graph.Engine.Supervision;

/// <summary>How a child exited, as its supervisor sees it (OTP's exit reasons).</summary>
public enum ChildExitKind
{
    /// <summary>It stopped itself (<see cref="Graph.Engine.Actors.ActorContext.Stop"/>): OTP's <c>normal</c>.</summary>
    Normal,

    /// <summary>Someone else stopped it: OTP's <c>shutdown</c>. Not abnormal: a transient child is not restarted.</summary>
    Shutdown,

    /// <summary>Its handler threw, or its factory failed during a restart: an abnormal exit.</summary>
    Failure,
}
