namespace Graph.Engine.Actors;

/// <summary>Why a message was not processed.</summary>
public enum DeadLetterReason
{
    /// <summary>The mailbox was full and the policy dropped the arriving message.</summary>
    DroppedNewest,

    /// <summary>The mailbox was full and the policy dropped the oldest queued message.</summary>
    DroppedOldest,

    /// <summary>The mailbox was full and the message was rejected.</summary>
    Rejected,

    /// <summary>The actor was stopping or stopped: the message arrived late or was left in its mailbox.</summary>
    ActorStopped,

    /// <summary>The handler threw while handling this message.</summary>
    HandlerFaulted,

    /// <summary>No actor lives at the address.</summary>
    Undeliverable,

    /// <summary>
    /// The message was queued to a child that a group restart (one-for-all, rest-for-one) restarted, and its
    /// supervisor drops such queues (<c>SupervisorOptions.QueuedOnGroupRestart</c>), as an Erlang process's mailbox dies with it.
    /// </summary>
    Restarted,
}
