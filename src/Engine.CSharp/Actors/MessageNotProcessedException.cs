namespace Graph.Engine.Actors;

/// <summary>Fails an <see cref="ActorRef{TMessage}.AskAsync{TReply}"/> whose request was dead-lettered instead of processed.</summary>
public sealed class MessageNotProcessedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deadLetter">The dead letter of the request.</param>
    public MessageNotProcessedException(DeadLetter deadLetter)
        : base($"The request to actor '{deadLetter?.Recipient}' was not processed: {deadLetter?.Reason}.", deadLetter?.Exception)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        DeadLetter = deadLetter;
    }

    /// <summary>The dead letter of the request.</summary>
    public DeadLetter DeadLetter { get; }
}
