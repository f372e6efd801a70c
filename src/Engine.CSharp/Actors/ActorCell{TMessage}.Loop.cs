using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The mailbox loop of an exclusive actor: the status word, scheduling, inline runs and the mailbox's completion
// (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage> : IThreadPoolWorkItem
{
    /// <summary>No one owns the actor: the queue is empty (or a sender is about to schedule the loop).</summary>
    private const int Unowned = 0;

    /// <summary>The loop is scheduled or running, or a message runs inline: only the owner takes messages and runs handlers.</summary>
    private const int Owned = 1;

    /// <summary>The loop found the sealed queue empty: no handler runs again, and no inline run can start.</summary>
    private const int Finished = 2;

    /// <summary>The mailbox completion of an exclusive actor, created on first use.</summary>
    private TaskCompletionSource Done => Volatile.Read(ref _done) ?? CreateDone();

    private TaskCompletionSource CreateDone()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _done, done, null) ?? done;
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

    /// <summary>
    /// Queues an admitted (counted) message of an exclusive actor. A sender that finds the actor idle takes
    /// ownership and, if its message is the only one counted, hands it to the loop in <c>_next</c> without touching
    /// the block: an idle actor woken by one message costs no Dataflow lock and no Task (the block starts a Task to
    /// offer its messages each time one is posted after a receive). Otherwise the message is posted; the owner
    /// (this sender, if it won the status word) runs the loop.
    /// </summary>
    private bool EnqueueAdmitted(Envelope<TMessage> envelope)
    {
        var owner = Volatile.Read(ref _status) == Unowned && Interlocked.CompareExchange(ref _status, Owned, Unowned) == Unowned;

        // Owned: nothing else is taken from the mailbox until the loop runs, so a count of one is this message alone.
        if (owner && Volatile.Read(ref _queued) == 1 && !_closed)
        {
            Debug.Assert(_next is null, "The hand-over slot is empty while no one owns the actor.");
            _next = envelope;
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

    /// <summary>Takes ownership if no one has it and queues the loop on the thread pool.</summary>
    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _status, Owned, Unowned) == Unowned)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    /// <inheritdoc/>
    void IThreadPoolWorkItem.Execute() => RunLoop();

    /// <summary>
    /// Drains the queue while owning the actor: up to <see cref="ActorOptions.Throughput"/> messages per
    /// scheduling, continuing at once while handlers complete synchronously. Leaves by releasing (queue empty),
    /// rescheduling itself (throughput used up), handing over to an asynchronous handler's continuation, or
    /// finishing (queue sealed and empty).
    /// </summary>
    private void RunLoop()
    {
        var budget = _throughput;
        while (true)
        {
            AssertOwned();

            // Read before receiving: once sealed, an empty queue stays empty.
            var isSealed = _sealed;
            if (!TryTake(out var envelope))
            {
                if (isSealed)
                {
                    Finish();
                }
                else
                {
                    Release();
                }

                return;
            }

            var handled = HandleTaken(envelope);
            if (!handled.IsCompleted)
            {
                ContinueAfter(handled);
                return;
            }

            if (--budget == 0)
            {
                // The global queue, first in first out: the thread's own queue would hand the loop straight back.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>The owner takes the oldest message: the handed-over one first; the count says for free when there is none.</summary>
    private bool TryTake([NotNullWhen(true)] out Envelope<TMessage>? envelope)
    {
        envelope = _next;
        if (envelope is not null)
        {
            _next = null;
            Interlocked.Decrement(ref _queued);
            return true;
        }

        if (Volatile.Read(ref _queued) == 0 || Volatile.Read(ref _queue) is not { } queue || !queue.TryReceive(null, out envelope))
        {
            return false;
        }

        Interlocked.Decrement(ref _queued);
        AssertInvariants();
        return true;
    }

    /// <summary>
    /// Gives ownership up with a fence, then looks again: a message counted, or the seal, after the owner last
    /// looked found the actor owned and left the work to it.
    /// </summary>
    private void Release()
    {
        AssertOwned();
        Interlocked.Exchange(ref _status, Unowned);
        if (Volatile.Read(ref _queued) > 0 || _sealed)
        {
            TrySchedule();
        }
    }

    /// <summary>The sealed queue is empty: ownership is kept for good, and the mailbox completes.</summary>
    private void Finish()
    {
        AssertOwned();
        Volatile.Write(ref _status, Finished);
        Done.TrySetResult();
    }

    /// <summary>
    /// The loop is scheduled again when the handler completes (the actor stays owned meanwhile). It is queued rather
    /// than run where the handler's task completes, so the next handlers never run inside whoever completed it
    /// (nor in its execution context).
    /// </summary>
    private void ContinueAfter(Task handled)
    {
        Debug.Assert(Volatile.Read(ref _status) == Owned, "Only the owner continues the loop.");
        handled.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_continue ??= Reschedule);
    }

    private void Reschedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);

    /// <inheritdoc/>
    internal override bool TryRunInline(TMessage message)
    {
        if (!_exclusive || _dropOldest || !IsAccepting || _discarding
            || Volatile.Read(ref _pause) is not null || Volatile.Read(ref _queued) > 0
            || Volatile.Read(ref _status) != Unowned
            || Interlocked.CompareExchange(ref _status, Owned, Unowned) != Unowned)
        {
            return false;
        }

        if (Volatile.Read(ref _queued) > 0)
        {
            // Something was queued meanwhile: it goes first.
            Release();
            return false;
        }

        var handled = HandleOwned(RentStamped(message, null));
        if (handled.IsCompleted)
        {
            Release();
        }
        else
        {
            ContinueAfter(handled);
        }

        return true;
    }
}
