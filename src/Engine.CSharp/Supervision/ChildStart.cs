using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>
/// What an asynchronous child start decided (OTP's <c>{ok, Pid}</c> or <c>ignore</c>; OTP's <c>{error, Reason}</c>
/// is a start that throws). Build with <see cref="ChildStart.Run{TMessage}(Func{IActor{TMessage}})"/> or
/// <see cref="ChildStart.Ignore{TMessage}"/>.
/// </summary>
/// <typeparam name="TMessage">The child's message type.</typeparam>
public sealed class ChildStart<TMessage>
{
    internal ChildStart(Func<IActor<TMessage>>? factory) => Factory = factory;

    /// <summary>True when the start decided not to run the child (OTP's <c>ignore</c>).</summary>
    public bool IsIgnored => Factory is null;

    /// <summary>The factory of the running actor's instances, or null when ignored.</summary>
    internal Func<IActor<TMessage>>? Factory { get; }
}

/// <summary>Builds the result of an asynchronous child start (see <see cref="ChildSpec.WorkerAsync{TMessage}"/>).</summary>
public static class ChildStart
{
    /// <summary>Run the child: <paramref name="factory"/> creates its instance now and on every in-place restart of this actor.</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="factory">Creates a fresh instance.</param>
    /// <returns>The start result.</returns>
    public static ChildStart<TMessage> Run<TMessage>(Func<IActor<TMessage>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ChildStart<TMessage>(factory);
    }

    /// <summary>Run the child as a stateless handler function.</summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <param name="handler">Handles each message.</param>
    /// <returns>The start result.</returns>
    public static ChildStart<TMessage> Run<TMessage>(Func<TMessage, ActorContext, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new ChildStart<TMessage>(() => new DelegateActor<TMessage>(handler));
    }

    /// <summary>
    /// Do not run the child (OTP's <c>ignore</c>): its spec stays in the supervisor's table with no actor, nothing is
    /// counted as a restart, and <see cref="Supervisor.RestartChildOrNullAsync"/> or a group restart tries the start again.
    /// A temporary child that is ignored is dropped from the table, as OTP does.
    /// </summary>
    /// <typeparam name="TMessage">The child's message type.</typeparam>
    /// <returns>The start result.</returns>
    public static ChildStart<TMessage> Ignore<TMessage>() => new(null);
}
