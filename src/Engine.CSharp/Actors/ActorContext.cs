using System.Diagnostics;

namespace Graph.Engine.Actors;

/// <summary>What a handler knows about the actor it runs in: its reference, its incarnation's token, and its children.</summary>
[DebuggerDisplay("{Self.Path,nq}")]
public sealed class ActorContext
{
    internal ActorContext(ActorRef self) => Self = self;

    /// <summary>The actor this handler runs in.</summary>
    public ActorRef Self { get; }

    /// <summary>The system the actor lives in.</summary>
    public ActorSystem System => Self.System;

    /// <summary>Cancelled when the actor's stop gives up draining, or when a supervisor replaces this incarnation.</summary>
    public CancellationToken CancellationToken => Self.IncarnationToken;

    /// <summary>Spawns a child of this actor.</summary>
    /// <typeparam name="TChild">The child's message type.</typeparam>
    /// <param name="name">The child's name, unique among this actor's children.</param>
    /// <param name="factory">Creates the child's instance; called again on every restart.</param>
    /// <param name="options">The child's options; defaults to <see cref="ActorOptions.Default"/>.</param>
    /// <returns>The child's reference.</returns>
    public ActorRef<TChild> Spawn<TChild>(string name, Func<IActor<TChild>> factory, ActorOptions? options = null) =>
        System.Spawn(name, factory, options, Self);

    /// <summary>Spawns a child of this actor from a handler function.</summary>
    /// <typeparam name="TChild">The child's message type.</typeparam>
    /// <param name="name">The child's name, unique among this actor's children.</param>
    /// <param name="handler">Handles each message.</param>
    /// <param name="options">The child's options; defaults to <see cref="ActorOptions.Default"/>.</param>
    /// <returns>The child's reference.</returns>
    public ActorRef<TChild> Spawn<TChild>(string name, Func<TChild, ActorContext, ValueTask> handler, ActorOptions? options = null) =>
        System.Spawn(name, handler, options, Self);

    /// <summary>
    /// Stops this actor after the current message: a normal exit. Queued messages still drain
    /// (within the drain timeout). Does not wait, so it is safe to call from the handler.
    /// </summary>
    public void Stop() => _ = Self.StopCoreAsync(StopCause.Normal, null, null);

    /// <summary>
    /// Stops this actor after the current message with an exit reason (OTP's exit reasons): <see cref="ExitReason.Normal"/>
    /// as <see cref="Stop"/>; <see cref="ExitReason.Shutdown"/> (with or without a term), a normal exit reported as a
    /// shutdown; <see cref="ExitReason.Abnormal"/>, which stops it as faulted with an <see cref="ActorExitException"/>
    /// (a supervisor restarts a transient child only then). Does not wait.
    /// </summary>
    /// <param name="reason">Why it exits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public void Exit(ExitReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _ = reason.IsAbnormal
            ? Self.StopCoreAsync(StopCause.Failure, new ActorExitException(Self.Path, reason.Term!), null, reason.Term)
            : Self.StopCoreAsync(reason.IsShutdown ? StopCause.Shutdown : StopCause.Normal, null, null, reason.Term);
    }

    /// <summary>
    /// Stops another actor from this handler, safely at any point (also after an await): when the target is this
    /// actor or one of its ancestors, the stop cannot finish while this handler waits for it, so it begins the
    /// stop and returns at once; otherwise it waits as <see cref="ActorRef.StopAsync"/> does.
    /// </summary>
    /// <param name="target">The actor to stop.</param>
    /// <param name="drainTimeout">How long its queued messages may drain; defaults to its <see cref="ActorOptions.DrainTimeout"/>.</param>
    /// <returns>A task that completes when the target has stopped, or at once when it cannot be waited for.</returns>
    public Task StopAsync(ActorRef target, TimeSpan? drainTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var stopped = target.StopAsync(drainTimeout);
        return target.IsSelfOrAncestorOf(Self) ? Task.CompletedTask : stopped;
    }
}
