using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The mailbox loop of an exclusive actor: the status word, scheduling, inline runs and the mailbox's completion
// (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage> : IThreadPoolWorkItem
{
    /// <summary>No one owns the actor: nothing waits to be taken (or a sender is about to schedule the loop).</summary>
    private const int Unowned = 0;

    /// <summary>The loop is scheduled or running, or a message runs inline: only the owner takes messages and runs handlers.</summary>
    private const int Owned = 1;

    /// <summary>The loop found the sealed mailbox empty: no handler runs again, and no inline run can start.</summary>
    private const int Finished = 2;

    /// <summary>Owned, and the owner is running the inbox's loop (<see cref="RunInbox"/>): every sender posts to the inbox.</summary>
    private const int Draining = 3;

    /// <summary>How many times the idle loop looks for the next message before it releases the actor (<see cref="SpinForWork"/>).</summary>
    private const int SpinRounds = 16;

    /// <summary><see cref="Thread.SpinWait"/> iterations between two looks (about 30 ns each here, so the whole spin is 1 to 2 microseconds).</summary>
    private const int SpinIterations = 3;

    /// <summary>How many times the inbox's run looks for the next message before it ends (<see cref="SpinForInput"/>).</summary>
    private const int InputPollRounds = 4;

    /// <summary><see cref="Thread.SpinWait"/> iterations between two looks of <see cref="SpinForInput"/> (about half a microsecond here).</summary>
    private const int InputPollIterations = 50;

    /// <summary>The mailbox completion of an exclusive actor, created on first use.</summary>
    private TaskCompletionSource Done => Volatile.Read(ref _done) ?? CreateDone();

    private TaskCompletionSource CreateDone()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _done, done, null) ?? done;
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
    /// Takes messages while owning the actor: the handed-over one, the backlog, then the inbox's loop run here (or, for
    /// DropOldest, the queue block), up to <see cref="ActorOptions.Throughput"/> per scheduling, continuing at once while
    /// handlers complete synchronously. Leaves by releasing (nothing waits, after a short spin when this wake took more
    /// than one message), rescheduling itself (throughput used up), handing over to an asynchronous handler's
    /// continuation, or finishing (mailbox sealed and empty).
    /// </summary>
    private void RunLoop()
    {
        var budget = _throughput;
        var taken = 0;
        while (true)
        {
            AssertOwned();

            // Read before looking: once sealed, nothing new arrives (a late hand-over aside, which Finish takes back and
            // dead-letters), and a message in the inbox always has a loop task waiting here.
            var isSealed = _sealed;
            Task pending;
            if (TryTake(out var envelope))
            {
                taken++;
                budget--;
                pending = HandleTaken(envelope);
            }
            else if (_drain is { } drain && drain.TakePending() is { } run)
            {
                var handled = RunInbox(run);
                taken += handled;
                budget -= handled;
                pending = drain.Awaiting ?? Task.CompletedTask;
                drain.Awaiting = null;
            }
            else
            {
                if (isSealed)
                {
                    Finish();
                    return;
                }

                // A producer that outpaced this wake is likely to send again.
                if (taken > 1 && SpinForWork())
                {
                    continue;
                }

                Release();
                return;
            }

            if (!pending.IsCompleted)
            {
                ContinueAfter(pending);
                return;
            }

            if (budget <= 0)
            {
                // The global queue, first in first out: the thread's own queue would hand the loop straight back.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>
    /// Spins without yielding the core, for a bounded few microseconds, until there is work or the mailbox is sealed,
    /// still owning the actor: senders meanwhile find it owned, so a message that arrives within the spin costs no
    /// thread-pool dispatch and no worker wake.
    /// </summary>
    /// <returns><see langword="true"/> when there is something to take (or the seal to see).</returns>
    private bool SpinForWork()
    {
        for (var i = 0; i < SpinRounds; i++)
        {
            Thread.SpinWait(SpinIterations);
            if (HasWork())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the owner has something to take: the hand-over slot, the backlog, the inbox's waiting loop task, a
    /// DropOldest queue's count, or the seal. (A message counted but not yet posted to the inbox is not work yet: its
    /// post queues the loop task, which schedules the loop if no one owns the actor.)
    /// </summary>
    private bool HasWork() =>
        Volatile.Read(ref _next) is not null
        || _drain is { } drain && (drain.HasPending || drain.Backlog is { Count: > 0 })
        || _dropOldest && _counts.Waiting > 0
        || _sealed;

    /// <summary>The owner takes the oldest message outside the inbox: the handed-over one, the backlog, or DropOldest's queue block.</summary>
    private bool TryTake([NotNullWhen(true)] out Envelope<TMessage>? envelope)
    {
        if (TakeHandedOver(out envelope))
        {
            return true;
        }

        if (_drain?.Backlog is { Count: > 0 } backlog)
        {
            envelope = backlog.Dequeue();
        }
        else if (!_dropOldest || _counts.Waiting == 0 || Volatile.Read(ref _queue) is not { } queue || !queue.TryReceive(null, out envelope))
        {
            return false;
        }

        _counts.TakeOneAsOwner();
        AssertInvariants();
        return true;
    }

    /// <summary>The owner takes the handed-over message, if any (it is older than anything else counted).</summary>
    private bool TakeHandedOver([NotNullWhen(true)] out Envelope<TMessage>? envelope)
    {
        envelope = Volatile.Read(ref _next);
        if (envelope is null)
        {
            return false;
        }

        Volatile.Write(ref _next, null);
        _counts.TakeOneAsOwner();
        return true;
    }

    /// <summary>
    /// Gives ownership up with a fence, then looks again: work that arrived after the owner last looked found the
    /// actor owned and left it to the owner.
    /// </summary>
    private void Release()
    {
        AssertOwned();
        Interlocked.Exchange(ref _status, Unowned);
        if (HasWork())
        {
            TrySchedule();
        }

        // The owner counts what it takes with plain writes (MailboxCounts), so a handler's look at the waiting senders
        // may have run before its count was visible to a sender that then saw the mailbox full and began to wait. The
        // release above is a full fence: look again, or that sender could wait for a wake that never comes.
        if (Volatile.Read(ref _spaceWaiters) > 0 && _counts.Waiting <= _lowWatermark)
        {
            SignalSpace();
        }
    }

    /// <summary>The sealed mailbox is empty: ownership is kept for good, and the mailbox completes.</summary>
    private void Finish()
    {
        AssertOwned();
        Interlocked.Exchange(ref _status, Finished);

        // A sender that found the actor owned may have handed over after the last look (see HandOver).
        if (Volatile.Read(ref _next) is { } late && Interlocked.CompareExchange(ref _next, null, late) == late)
        {
            _counts.TakeOneAsOwner();
            DeadLetterEnvelope(late, DeadLetterReason.ActorStopped, null);
        }

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
        handled.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(Drainer.Continue);
    }

    private void Reschedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);

    /// <inheritdoc/>
    internal override bool TryRunInline(TMessage message)
    {
        if (!_exclusive || _dropOldest || !IsAccepting || _discarding
            || Volatile.Read(ref _pause) is not null || _counts.Waiting > 0
            || Volatile.Read(ref _status) != Unowned
            || Interlocked.CompareExchange(ref _status, Owned, Unowned) != Unowned)
        {
            return false;
        }

        if (_counts.Waiting > 0)
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
