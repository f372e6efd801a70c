using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// A sender's side of the mailbox loop of an exclusive actor: the hand-over slot, the post, and who schedules the
// loop (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>
    /// Queues an admitted (counted) message of an exclusive actor. A message that was the only one counted when it
    /// was admitted goes into the one-message slot <c>_next</c> without touching the block (no Dataflow lock, no
    /// Task: the block starts a Task to offer its messages each time one is posted after a receive): nothing older
    /// waits, so the loop, which takes the slot first, keeps the order. Otherwise the message is posted. A sender
    /// that finds the actor idle takes the status word and schedules the loop; one that finds it owned leaves the
    /// message to the owner (a loop running or spinning for work, an inline run, an asynchronous handler).
    /// </summary>
    /// <param name="envelope">The counted message.</param>
    /// <param name="alone">No other message was counted when this one was.</param>
    private bool EnqueueAdmitted(Envelope<TMessage> envelope, bool alone)
    {
        var owner = Volatile.Read(ref _status) == Unowned && Interlocked.CompareExchange(ref _status, Owned, Unowned) == Unowned;
        if (alone && !_closed)
        {
            if (!owner)
            {
                return HandOver(envelope);
            }

            Debug.Assert(_next is null, "The hand-over slot is empty while no one owns the actor.");
            Volatile.Write(ref _next, envelope);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            return true;
        }

        if (!Queue.Post(envelope))
        {
            Interlocked.Decrement(ref _queued);
            if (owner)
            {
                Release();
            }

            return false;
        }

        if (owner)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
        else
        {
            ScheduleAfterPost();
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
                Interlocked.Decrement(ref _queued);
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
    /// Called by a sender after its post: schedules the loop unless someone owns the actor. The sender counted its
    /// message (a fence) before this read, and the owner releases (a fence) before it looks at the count, so an
    /// owner that this read sees will see the message.
    /// </summary>
    private void ScheduleAfterPost()
    {
        if (Volatile.Read(ref _status) == Unowned)
        {
            TrySchedule();
        }
    }
}
