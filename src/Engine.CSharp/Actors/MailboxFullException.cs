namespace Graph.Engine.Actors;

/// <summary>Thrown to a sender whose message a full mailbox rejected.</summary>
public sealed class MailboxFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actorPath">The actor whose mailbox is full.</param>
    /// <param name="capacity">The mailbox's capacity.</param>
    /// <param name="policy">The mailbox's overflow policy.</param>
    public MailboxFullException(string actorPath, int capacity, OverflowPolicy policy)
        : base(policy == OverflowPolicy.Block
            ? $"The mailbox of actor '{actorPath}' is full (capacity {capacity}); Tell cannot wait under OverflowPolicy.Block, use SendAsync to wait for space."
            : $"The mailbox of actor '{actorPath}' is full (capacity {capacity}, policy {policy}): the message was rejected.")
    {
        ActorPath = actorPath;
        Capacity = capacity;
    }

    /// <summary>The actor whose mailbox is full.</summary>
    public string ActorPath { get; }

    /// <summary>The mailbox's capacity.</summary>
    public int Capacity { get; }
}
