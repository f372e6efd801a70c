namespace Graph.Engine.Actors;

/// <summary>What a bounded mailbox does with a message that arrives when it is full.</summary>
public enum OverflowPolicy
{
    /// <summary>
    /// Back-pressure: <see cref="ActorRef{TMessage}.SendAsync"/> waits asynchronously for space.
    /// The synchronous <see cref="ActorRef{TMessage}.Tell"/> cannot wait, so it rejects like <see cref="Reject"/>.
    /// </summary>
    Block,

    /// <summary>The arriving message is dropped and published to dead letters.</summary>
    DropNewest,

    /// <summary>
    /// The oldest queued message is removed and published to dead letters, then the arriving message is queued.
    /// Atomic: exactly one message is lost to make room for one.
    /// </summary>
    DropOldest,

    /// <summary>The sender gets a <see cref="MailboxFullException"/> and the message is published to dead letters.</summary>
    Reject,
}
