using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// A sender's side of the mailbox loop of an exclusive actor: the hand-over slot, the inbox post, and who schedules
// the loop (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>
    /// Queues an admitted (counted) message of an exclusive actor. A message that was the only one counted when it
    /// was admitted goes into the one-message slot <c>_next</c> without touching the inbox (no Dataflow lock, no
    /// Task: the inbox starts a loop task each time it is posted to while its loop is not running): nothing older
    /// waits, so the owner, which takes the slot first, keeps the order. A sender that finds the actor idle takes the
    /// status word and schedules the loop; one that finds it owned leaves the message to the owner (a loop running or
    /// spinning for work, an inline run, an asynchronous handler). Otherwise, and while the owner runs the inbox's loop
    /// (<c>Draining</c>), the message is posted to the inbox, whose loop task, once queued, schedules the loop if no one
    /// owns the actor (<see cref="ScheduleIfIdle"/>).
    /// </summary>
    /// <param name="envelope">The counted message.</param>
    /// <param name="alone">No other message was counted when this one was.</param>
    private bool EnqueueAdmitted(Envelope<TMessage> envelope, bool alone)
    {
        if (alone && !_closed)
        {
            var status = Volatile.Read(ref _status);
            if (status == Unowned)
            {
                status = Interlocked.CompareExchange(ref _status, Owned, Unowned);
                if (status == Unowned)
                {
                    Debug.Assert(_next is null, "The hand-over slot is empty while no one owns the actor.");
                    Volatile.Write(ref _next, envelope);
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
                    return true;
                }
            }

            if (status != Draining)
            {
                return HandOver(envelope);
            }
        }

        if (!PostToInbox(envelope))
        {
            Interlocked.Decrement(ref _counts.Admitted);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Puts a message that waits alone into the slot while someone else owns the actor (or just released it). Only
    /// one message at a time can be alone, so the slot is empty. The write is a fence before the status word is read
    /// again: a loop that finished after its last look at the slot either sees the message there (and dead-letters
    /// it) or is seen finished here (and the sender takes the message back); one compare-exchange decides which.
    /// </summary>
    /// <returns><see langword="false"/> when the actor finished meanwhile: the message is uncounted and the caller dead-letters it.</returns>
    private bool HandOver(Envelope<TMessage> envelope)
    {
        var empty = Interlocked.Exchange(ref _next, envelope);
        Debug.Assert(empty is null, "Two messages were handed over at once.");
        var status = Volatile.Read(ref _status);
        if (status == Finished)
        {
            if (Interlocked.CompareExchange(ref _next, null, envelope) == envelope)
            {
                Interlocked.Decrement(ref _counts.Admitted);
                return false;
            }

            return true;
        }

        if (status == Unowned)
        {
            TrySchedule();
        }

        return true;
    }

    /// <summary>
    /// Called after work was left for the owner (a DropOldest post, the inbox's loop task queued): schedules the loop
    /// unless someone owns the actor. The work was published with a fence before this read, and the owner releases (a
    /// fence) before it looks for work, so an owner that this read sees will see the work.
    /// </summary>
    private void ScheduleIfIdle()
    {
        if (Volatile.Read(ref _status) == Unowned)
        {
            TrySchedule();
        }
    }
}
