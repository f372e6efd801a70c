namespace Graph.Engine.Actors;

/// <summary>A reference to an actor that accepts <typeparamref name="TMessage"/>: the sending half of an actor.</summary>
/// <typeparam name="TMessage">The type of message the actor accepts.</typeparam>
/// <remarks>
/// Every message handed to an actor is either processed or published to <see cref="ActorSystem.DeadLetters"/>
/// with its reason, with one exception: a <see cref="SendAsync"/> that is cancelled while waiting for space
/// hands the message back to the caller by throwing <see cref="OperationCanceledException"/>.
/// </remarks>
public abstract class ActorRef<TMessage> : ActorRef
{
    private protected ActorRef(ActorSystem system, ActorRef? parent, string name, string path, ActorOptions options)
        : base(system, parent, name, path, options)
    {
    }

    /// <inheritdoc />
    public sealed override Type MessageType => typeof(TMessage);

    /// <summary>Offers a message without waiting and without throwing; the result says what happened to it.</summary>
    /// <param name="message">The message.</param>
    /// <returns>What happened: queued, or which dead-letter path it (or an older message) took.</returns>
    public abstract PostResult TryPost(TMessage message);

    /// <summary>Sends a message without waiting (fire and forget).</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="MailboxFullException">
    /// The mailbox is full under <see cref="OverflowPolicy.Reject"/>, or under <see cref="OverflowPolicy.Block"/>
    /// (which needs <see cref="SendAsync"/> to wait). The message is also dead-lettered.
    /// </exception>
    /// <remarks>Sending to a stopped actor is not an error: the message is dead-lettered.</remarks>
    public void Tell(TMessage message)
    {
        if (TryPost(message) == PostResult.Rejected)
        {
            throw new MailboxFullException(Path, Options.Mailbox.Capacity, Options.Mailbox.Overflow);
        }
    }

    /// <summary>
    /// Sends a message; under <see cref="OverflowPolicy.Block"/> waits asynchronously for space (back-pressure).
    /// Other policies behave as <see cref="Tell"/>.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait for space; the message is then handed back, not dead-lettered.</param>
    /// <returns>A task that completes when the message was queued or dead-lettered.</returns>
    /// <exception cref="MailboxFullException">The mailbox is full under <see cref="OverflowPolicy.Reject"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public ValueTask SendAsync(TMessage message, CancellationToken cancellationToken = default) =>
        SendCoreAsync(message, null, cancellationToken);

    /// <summary>
    /// Request/reply: builds a message that carries a <see cref="ReplyChannel{TReply}"/>, sends it, and waits for the reply.
    /// A timed-out or cancelled ask leaves nothing behind; a request that is dead-lettered fails at once.
    /// </summary>
    /// <typeparam name="TReply">The reply's type.</typeparam>
    /// <param name="createMessage">Builds the request around the reply channel.</param>
    /// <param name="timeout">How long to wait for the reply (on the system's <see cref="TimeProvider"/>).</param>
    /// <param name="cancellationToken">Cancels the ask.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="MessageNotProcessedException">The request was dead-lettered (dropped, rejected, actor stopped, handler threw).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TReply> AskAsync<TReply>(Func<ReplyChannel<TReply>, TMessage> createMessage, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createMessage);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"Ask to '{Path}': the timeout must be positive or infinite.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var channel = new ReplyChannel<TReply>();
        var message = createMessage(channel);
        using var timeoutSource = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, System.TimeProvider);
        using var onTimeout = timeoutSource?.Token.Register(
            static state =>
            {
                var (c, path, t) = ((ReplyChannel<TReply>, string, TimeSpan))state!;
                c.Fail(new TimeoutException($"Ask to '{path}' got no reply within {t}."));
            },
            (channel, Path, timeout));
        using var onCancel = cancellationToken.Register(
            static (state, token) => ((ReplyChannel<TReply>)state!).Cancel(token),
            channel);
        await SendCoreAsync(message, channel, cancellationToken).ConfigureAwait(false);
        return await channel.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// The scheduling seam of the graph layer: offers one message to run on the caller's thread instead of through
    /// the mailbox. Only an exclusive actor that is running, idle and has nothing queued accepts; the message then
    /// takes exactly the path a mailbox message takes (failure, supervision, dead letters, metrics).
    /// </summary>
    /// <returns><see langword="false"/> when the caller must send the message instead.</returns>
    internal abstract bool TryRunInline(TMessage message);

    private protected abstract ValueTask SendCoreAsync(TMessage message, IDeadLetterObserver? observer, CancellationToken cancellationToken);
}
