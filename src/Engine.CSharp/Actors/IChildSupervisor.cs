namespace Graph.Engine.Actors;

/// <summary>
/// A parent that supervises the OTP way: a failing child suspends itself (its queued messages wait) and
/// reports here one way; the parent decides on its own loop and answers with one of the child's one-way
/// system messages, <see cref="ActorRef.ResumeAfterFailure"/>, <see cref="ActorRef.RestartAfterFailure"/> or
/// <see cref="ActorRef.StopAfterFailure"/>, naming the failure. An answer to a failure the child no longer
/// holds (a group restart or a stop took its place) is ignored.
/// </summary>
internal interface IChildSupervisor : IChildParent
{
    /// <summary>Called on the failing child's loop after the failing message was dead-lettered; must not block.</summary>
    /// <param name="child">The suspended child.</param>
    /// <param name="failure">Names this suspension in the answer.</param>
    /// <param name="exception">What the handler threw.</param>
    /// <param name="message">The message it was handling.</param>
    void OnChildFailed(ActorRef child, long failure, Exception exception, object? message);
}
