namespace Graph.Engine.Actors;

/// <summary>
/// Lifecycle hooks an actor instance may implement besides <see cref="IActor{TMessage}"/> (Akka.NET's
/// <c>PreRestart</c>, <c>PostRestart</c> and <c>PostStop</c>, with the reason, as OTP's <c>terminate/2</c> has it).
/// They run while no handler of the actor runs. A hook that throws is reported (<c>ActorFailed</c>) and the
/// restart or stop goes on.
/// </summary>
public interface IActorLifecycle
{
    /// <summary>On the instance about to be replaced by a restart in place, before it is disposed.</summary>
    /// <param name="failure">The failure that caused the restart; null for a sibling restarted with its group (one-for-all, rest-for-one).</param>
    /// <param name="message">The message the failing handler was handling, if this instance failed.</param>
    /// <returns>A task that completes when done.</returns>
    ValueTask PreRestartAsync(Exception? failure, object? message);

    /// <summary>On the fresh instance of a restart in place, before it handles any message.</summary>
    /// <param name="failure">The failure that caused the restart; null for a sibling restarted with its group.</param>
    /// <returns>A task that completes when done.</returns>
    ValueTask PostRestartAsync(Exception? failure);

    /// <summary>On the instance when the actor stops, before it is disposed.</summary>
    /// <param name="failure">The failure the actor stops with; null for a normal stop or a shutdown.</param>
    /// <returns>A task that completes when done.</returns>
    ValueTask PostStopAsync(Exception? failure);
}
