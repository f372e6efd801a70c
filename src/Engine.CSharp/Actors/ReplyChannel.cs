namespace Graph.Engine.Actors;

/// <summary>
/// Where an actor sends its reply to an <see cref="ActorRef{TMessage}.AskAsync{TReply}"/>.
/// Put it in the request message; the handler calls <see cref="Reply"/> (or <see cref="Fail"/>) once.
/// </summary>
/// <typeparam name="TReply">The reply's type.</typeparam>
public sealed class ReplyChannel<TReply> : IDeadLetterObserver
{
    private readonly TaskCompletionSource<TReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ReplyChannel()
    {
    }

    internal Task<TReply> Task => _completion.Task;

    /// <summary>Sends the reply.</summary>
    /// <param name="reply">The reply.</param>
    /// <returns><see langword="false"/> when the ask already ended (replied, failed, timed out or cancelled).</returns>
    public bool Reply(TReply reply) => _completion.TrySetResult(reply);

    /// <summary>Fails the ask with an exception.</summary>
    /// <param name="exception">The exception the asker receives.</param>
    /// <returns><see langword="false"/> when the ask already ended.</returns>
    public bool Fail(Exception exception) => _completion.TrySetException(exception);

    internal bool Cancel(CancellationToken token) => _completion.TrySetCanceled(token);

    void IDeadLetterObserver.OnDeadLetter(DeadLetter deadLetter) => Fail(new MessageNotProcessedException(deadLetter));
}
