namespace Graph.Engine.Supervision;

/// <summary>What happens to the messages queued to the children a group restart (one-for-all, rest-for-one) restarts.</summary>
public enum QueuedMessages
{
    /// <summary>
    /// They wait for the member's new instance, as in Akka.NET (a restart keeps the mailbox). A message that made a
    /// member fail is then handled again by the new instance if it was queued when the group restart reached it.
    /// </summary>
    Keep,

    /// <summary>
    /// Every message queued to a member when the group restart reaches it is dead-lettered with
    /// <see cref="Graph.Engine.Actors.DeadLetterReason.Restarted"/>, as OTP's terminated processes lose their mailboxes.
    /// Messages sent after that point wait for the new instance.
    /// </summary>
    DeadLetter,
}
