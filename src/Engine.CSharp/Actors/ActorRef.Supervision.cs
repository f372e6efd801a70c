namespace Graph.Engine.Actors;

// The actor's side of supervision: the one-way answers to a failure and a group restart's two halves.
public abstract partial class ActorRef
{
    /// <summary>
    /// One-way answer to a failure (<see cref="IChildSupervisor"/>): keeps the instance and lets the queued
    /// messages go on. Ignored unless the actor is still suspended by <paramref name="failure"/>.
    /// </summary>
    internal abstract void ResumeAfterFailure(long failure);

    /// <summary>
    /// One-way answer to a failure: replaces the instance in place (queued messages stay), after the other running
    /// handlers (parallel actors) finished or the shutdown timeout cancelled them. A factory failure stops the actor
    /// as faulted. Ignored unless the actor is still suspended by <paramref name="failure"/>.
    /// </summary>
    internal abstract void RestartAfterFailure(long failure, TimeSpan shutdownTimeout);

    /// <summary>One-way answer to a failure: stops the actor as faulted; its queue is dead-lettered. Ignored unless still suspended by <paramref name="failure"/>.</summary>
    internal abstract void StopAfterFailure(long failure, Exception exception);

    /// <summary>True while the actor is suspended by <paramref name="failure"/> and waits for its supervisor's answer.</summary>
    internal abstract bool IsSuspendedBy(long failure);

    /// <summary>
    /// The first half of a group restart (terminate all in reverse order, then start all in order): pauses the
    /// actor (handlers arriving from now on wait; a suspension by a failure is taken over), waits until no handler
    /// runs, honouring the shutdown timeout (then cancelling the incarnation), then disposes the instance. A handler
    /// that ignores its cancelled token is waited for at most <paramref name="killTimeout"/>. Queued messages wait for
    /// the new instance or, with <paramref name="dropQueued"/>, are dead-lettered (<see cref="DeadLetterReason.Restarted"/>).
    /// Must be followed by <see cref="ResumeSuspendedAsync"/> when it returns <see cref="SuspendOutcome.Suspended"/>.
    /// </summary>
    internal abstract Task<SuspendOutcome> SuspendAsync(TimeSpan shutdownTimeout, TimeSpan killTimeout, bool dropQueued);

    /// <summary>
    /// The second half: creates a fresh instance (then runs its PostRestart hook) (or, when <paramref name="createInstance"/> is false because the
    /// supervisor is stopping, starts discarding) and lifts the pause taken by <see cref="SuspendAsync"/>.
    /// Returns <see langword="false"/> when no instance was created (a factory failure stops the actor as faulted).
    /// </summary>
    internal abstract Task<bool> ResumeSuspendedAsync(bool createInstance);

    /// <summary>
    /// Gives up on an actor whose handler ignores its cancellation: it is stopped in the background (as faulted with
    /// <paramref name="reason"/>, unless a stop is already under way) and leaves its path and its parent at once, so
    /// that a new actor can take its name.
    /// </summary>
    internal void Abandon(Exception reason)
    {
        BeginDiscard();
        _ = StopCoreAsync(StopCause.Failure, reason, TimeSpan.Zero);
        System.Unregister(this);
        Parent?.RemoveChild(this);
    }

    /// <summary>Reports a handler running longer than the threshold (watchdog).</summary>
    internal abstract void CheckSlowHandler(long now, TimeSpan threshold);
}
