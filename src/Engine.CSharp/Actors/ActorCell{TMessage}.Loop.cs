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

    /// <summary>How many times the idle loop looks for the next message before it releases the actor (<see cref="SpinForWork"/>).</summary>
    private const int SpinRounds = 16;

    /// <summary><see cref="Thread.SpinWait"/> iterations between two looks (about 30 ns each here, so the whole spin is 1 to 2 microseconds).</summary>
    private const int SpinIterations = 3;

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
    /// Drains the queue while owning the actor: up to <see cref="ActorOptions.Throughput"/> messages per
    /// scheduling, continuing at once while handlers complete synchronously. Leaves by releasing (queue empty, after a
    /// short spin when this wake took more than one message), rescheduling itself (throughput used up), handing over to
    /// an asynchronous handler's continuation, or finishing (queue sealed and empty).
    /// </summary>
    private void RunLoop()
    {
        var budget = _throughput;
        while (true)
        {
            AssertOwned();

            // Read before receiving: once sealed, an empty queue stays empty (a late hand-over aside, which Finish takes
            // back and dead-letters).
            var isSealed = _sealed;
            if (!TryTake(out var envelope))
            {
                if (isSealed)
                {
                    Finish();
                    return;
                }

                // A producer that outpaced this wake is likely to send again within the spin.
                if (_throughput - budget > 1 && SpinForWork()) // more than one message taken in this wake
                {
                    continue;
                }

                Release();
                return;
            }

            var pending = HandleTaken(envelope);
            if (!pending.IsCompleted)
            {
                ContinueAfter(pending);
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

    /// <summary>
    /// Spins without yielding the core, for a bounded few microseconds, until a message is counted or the queue is
    /// sealed, still owning the actor: senders meanwhile find it owned and only post, so a message that arrives
    /// within the spin costs no thread-pool dispatch and no worker wake.
    /// </summary>
    /// <returns><see langword="true"/> when there is something to take (or the seal to see).</returns>
    private bool SpinForWork()
    {
        for (var i = 0; i < SpinRounds; i++)
        {
            Thread.SpinWait(SpinIterations);
            if (Volatile.Read(ref _queued) > 0 || _sealed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The owner takes the oldest message: the handed-over one first; the count says for free when there is none.</summary>
    private bool TryTake([NotNullWhen(true)] out Envelope<TMessage>? envelope)
    {
        envelope = Volatile.Read(ref _next);
        if (envelope is not null)
        {
            Volatile.Write(ref _next, null);
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
        Interlocked.Exchange(ref _status, Finished);

        // A sender that found the actor owned may have handed over after the last look (see HandOver).
        if (Volatile.Read(ref _next) is { } late && Interlocked.CompareExchange(ref _next, null, late) == late)
        {
            Interlocked.Decrement(ref _queued);
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
