using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The actor cell's admission: sends, the four overflow policies and back-pressure (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    public override PostResult TryPost(TMessage message) => Post(message, null);

    private protected override ValueTask SendCoreAsync(TMessage message, IDeadLetterObserver? observer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var mailbox = Options.Mailbox;
        if (mailbox.IsUnbounded || mailbox.Overflow != OverflowPolicy.Block)
        {
            if (Post(message, observer) == PostResult.Rejected)
            {
                throw new MailboxFullException(Path, mailbox.Capacity, mailbox.Overflow);
            }

            return default;
        }

        if (!IsAccepting)
        {
            System.PublishDeadLetter(Path, message, DeadLetterReason.ActorStopped, null, observer);
            return default;
        }

        var envelope = RentStamped(message, observer);
        if (TryEnqueue(envelope))
        {
            return default;
        }

        if (_closed)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return default;
        }

        return WaitForSpaceAsync(envelope, cancellationToken);
    }

    /// <summary>
    /// Back-pressure: waits until the mailbox has drained to its low watermark (half its capacity), then posts again.
    /// All waiting senders share one signal per drain, so a flooded actor costs one allocation per half a mailbox,
    /// not one per waiting message as Dataflow's <c>SendAsync</c> would; the wait's own state machine is pooled.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitForSpaceAsync(Envelope<TMessage> envelope, CancellationToken cancellationToken)
    {
        while (true)
        {
            Interlocked.Increment(ref _spaceWaiters);
            try
            {
                var signal = Volatile.Read(ref _space) ?? InstallSpaceSignal();

                // Retry after registering: the actor may have drained between the failed post and the registration.
                if (TryEnqueue(envelope))
                {
                    return;
                }

                if (_closed)
                {
                    DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
                    return;
                }

                if (cancellationToken.CanBeCanceled)
                {
                    await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await signal.Task.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                _pool.Return(envelope);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _spaceWaiters);
            }
        }
    }

    private TaskCompletionSource InstallSpaceSignal()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _space, signal, null) ?? signal;
    }

    /// <summary>Wakes the waiting senders (the mailbox drained to its low watermark, or closed).</summary>
    private void SignalSpace() => Interlocked.Exchange(ref _space, null)?.TrySetResult();

    private PostResult Post(TMessage message, IDeadLetterObserver? observer)
    {
        if (!IsAccepting)
        {
            System.PublishDeadLetter(Path, message, DeadLetterReason.ActorStopped, null, observer);
            return PostResult.ActorStopped;
        }

        var envelope = RentStamped(message, observer);
        if (_dropOldest)
        {
            return PostDroppingOldest(envelope);
        }

        if (TryEnqueue(envelope))
        {
            return PostResult.Accepted;
        }

        if (_closed)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return PostResult.ActorStopped;
        }

        if (Options.Mailbox.Overflow == OverflowPolicy.DropNewest)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.DroppedNewest, null);
            return PostResult.DroppedNewest;
        }

        DeadLetterEnvelope(envelope, DeadLetterReason.Rejected, null);
        return PostResult.Rejected;
    }

    /// <summary>
    /// Admits a message if fewer than the capacity wait, then posts it to the mailbox block (and, if exclusive,
    /// schedules the loop). The count is taken first (by CAS, so it never exceeds the capacity even for a moment)
    /// and so never goes negative (a handler may take the message before <c>Post</c> returns); a message the
    /// closed block refuses is uncounted.
    /// </summary>
    private bool TryEnqueue(Envelope<TMessage> envelope)
    {
        var admitted = Volatile.Read(ref _counts.Admitted);
        long queued;
        while (true)
        {
            // The senders' copy of the taken count lags, so this overstates what waits. The owner's count is read only
            // when the copy says full, or when an idle exclusive actor seems to have work (it has none: its owner took
            // everything before releasing), so that a message that is alone is known to be.
            queued = admitted - Volatile.Read(ref _counts.TakenSeen);
            if (queued >= _limit || _exclusive && queued > 0 && Volatile.Read(ref _status) == Unowned)
            {
                queued = admitted - _counts.RefreshTaken();
                if (queued >= _limit)
                {
                    return false;
                }
            }

            var seen = Interlocked.CompareExchange(ref _counts.Admitted, admitted + 1, admitted);
            if (seen == admitted)
            {
                break;
            }

            admitted = seen;
        }

        if (_exclusive)
        {
            return EnqueueAdmitted(envelope, alone: queued == 0);
        }

        if (Block.Post(envelope))
        {
            return true;
        }

        Interlocked.Decrement(ref _counts.Admitted);
        return false;
    }

    /// <summary>
    /// DropOldest: senders serialise on the bounded block (the exclusive actor's queue, or the front buffer of a
    /// parallel one); the only other party is the consumer, which only removes. So after taking the oldest, the
    /// post succeeds: at most one message is lost to make room for one (none if the consumer took one meanwhile).
    /// Dead letters are published outside the lock (observers are user code).
    /// </summary>
    private PostResult PostDroppingOldest(Envelope<TMessage> envelope)
    {
        var target = _front ?? Queue;
        Envelope<TMessage>? dropped = null;
        PostResult result;
        lock (target)
        {
            Interlocked.Increment(ref _counts.Admitted);
            if (target.Post(envelope))
            {
                result = PostResult.Accepted;
            }
            else if (_closed)
            {
                result = PostResult.ActorStopped;
            }
            else
            {
                target.TryReceive(null, out dropped);
                result = !target.Post(envelope) ? PostResult.ActorStopped
                    : dropped is null ? PostResult.Accepted
                    : PostResult.AcceptedDroppedOldest;
            }

            // The dropped message and a refused one leave the count; the accepted one stays counted.
            var uncounted = (dropped is null ? 0 : 1) + (result == PostResult.ActorStopped ? 1 : 0);
            if (uncounted != 0)
            {
                Interlocked.Add(ref _counts.Admitted, -uncounted);
            }
        }

        if (dropped is not null)
        {
            DeadLetterEnvelope(dropped, DeadLetterReason.DroppedOldest, null);
        }

        if (result == PostResult.ActorStopped)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
        }
        else if (_exclusive)
        {
            ScheduleIfIdle();
        }

        return result;
    }
}
