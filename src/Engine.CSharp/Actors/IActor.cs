namespace Graph.Engine.Actors;

/// <summary>
/// An actor's behaviour: handles one message at a time (unless its options opt into parallelism),
/// so state private to the instance needs no lock.
/// </summary>
/// <typeparam name="TMessage">The type of message the actor accepts.</typeparam>
/// <remarks>
/// An instance is created by the factory given at spawn time and is recreated by that factory when a
/// supervisor restarts the actor. If the instance implements <see cref="IAsyncDisposable"/> or
/// <see cref="IDisposable"/> it is disposed when it is replaced or when the actor stops.
/// </remarks>
public interface IActor<in TMessage>
{
    /// <summary>Handles one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">The actor's context: its reference, its children and the cancellation token of the current incarnation.</param>
    /// <returns>A task that completes when the message has been handled. A fault is reported to the actor's supervisor.</returns>
    ValueTask ReceiveAsync(TMessage message, ActorContext context);
}
