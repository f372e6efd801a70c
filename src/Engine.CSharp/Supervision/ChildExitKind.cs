namespace Graph.Engine.Supervision;

/// <summary>How a child exited, as its supervisor sees it (OTP's exit reasons).</summary>
public enum ChildExitKind
{
    /// <summary>It stopped itself (<see cref="Graph.Engine.Actors.ActorContext.Stop"/>, or <see cref="Graph.Engine.Actors.ExitReason.Normal"/>): OTP's <c>normal</c>.</summary>
    Normal,

    /// <summary>
    /// Someone else stopped it, or it exited with <see cref="Graph.Engine.Actors.ExitReason.Shutdown"/>: OTP's
    /// <c>shutdown</c> or <c>{shutdown, Term}</c>. Not abnormal: a transient child is not restarted.
    /// </summary>
    Shutdown,

    /// <summary>Its handler threw, its factory failed during a restart, or it exited with <see cref="Graph.Engine.Actors.ExitReason.Abnormal"/>: an abnormal exit.</summary>
    Failure,
}
