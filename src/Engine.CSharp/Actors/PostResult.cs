namespace Graph.Engine.Actors;

/// <summary>What happened to a message handed to <see cref="ActorRef{TMessage}.TryPost"/>.</summary>
public enum PostResult
{
    /// <summary>Queued.</summary>
    Accepted,

    /// <summary>Queued; the oldest queued message was dead-lettered to make room (<see cref="OverflowPolicy.DropOldest"/>).</summary>
    AcceptedDroppedOldest,

    /// <summary>Not queued: the mailbox was full and this message was dead-lettered (<see cref="OverflowPolicy.DropNewest"/>).</summary>
    DroppedNewest,

    /// <summary>Not queued: the mailbox was full and this message was dead-lettered (<see cref="OverflowPolicy.Reject"/>, or <see cref="OverflowPolicy.Block"/> which cannot wait here).</summary>
    Rejected,

    /// <summary>Not queued: the actor is stopping or stopped and the message was dead-lettered.</summary>
    ActorStopped,
}
