using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

// The actor cell's handling: ownership, inline runs and running a handler (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>The mailbox block's delegate: the message leaves the queue here, once.</summary>
    private Task HandleAsync(Envelope<TMessage> envelope)
    {
        Interlocked.Decrement(ref _queued);
        AssertInvariants();
        return HandleTakenAsync(envelope);
    }

    private Task HandleTakenAsync(Envelope<TMessage> envelope)
    {
        if (_discarding)
        {
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return Task.CompletedTask;
        }

        if (envelope.Epoch != Volatile.Read(ref _epoch))
        {
            return DropQueuedBeforeRestart(envelope);
        }

        // One message at a time: the mailbox loop and an inline run (TryRunInline) both take ownership.
        if (_exclusive && Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            return HandleWhenOwnedAsync(envelope);
        }

        return HandleOwned(envelope);
    }

    /// <inheritdoc/>
    internal override bool TryRunInline(TMessage message)
    {
        if (!_exclusive || _front is not null || !IsAccepting || _discarding
            || Volatile.Read(ref _pause) is not null || Volatile.Read(ref _queued) > 0
            || Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            return false;
        }

        if (Volatile.Read(ref _queued) > 0)
        {
            // Something was queued meanwhile: it goes first.
            ReleaseOwner();
            return false;
        }

        AssertOwned();
        _ = HandleOwned(RentStamped(message, null));
        return true;
    }

    private async Task HandleWhenOwnedAsync(Envelope<TMessage> envelope)
    {
        await AcquireOwnershipAsync().ConfigureAwait(false);
        await HandleOwned(envelope).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until this caller owns the actor. One waiter at a time: the mailbox loop (one message at a time) or,
    /// once it has completed, the stop. <see cref="ReleaseOwner"/> wakes it; a release between publishing the waiter
    /// and the CAS is caught by the CAS itself.
    /// </summary>
    private async Task AcquireOwnershipAsync()
    {
        while (Interlocked.CompareExchange(ref _owner, 1, 0) != 0)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _ownerWaiter, waiter);
            OwnerWaitStarted?.Invoke();
            if (Interlocked.CompareExchange(ref _owner, 1, 0) == 0)
            {
                Interlocked.CompareExchange(ref _ownerWaiter, null, waiter);
                return;
            }

            await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes ownership for good once the mailbox has drained: an inline run that began before the close finishes
    /// first, and none can start after it. (The mailbox loop no longer runs, so no waiter competes.)
    /// </summary>
    private protected override Task QuiesceAsync() => _exclusive ? AcquireOwnershipAsync() : Task.CompletedTask;

    /// <summary>Called when something starts waiting to own the actor (a test probe for the stop's quiescence).</summary>
    internal Action? OwnerWaitStarted { get; set; }

    /// <summary>
    /// Releases ownership with a full fence, then wakes a published waiter. The fence orders the release before the
    /// read of the waiter, against the waiter's publish-then-CAS: either the waiter's CAS sees the release or this
    /// read sees the waiter, so a plain read suffices and the common case (no waiter) costs one atomic.
    /// </summary>
    private void ReleaseOwner()
    {
        Interlocked.Exchange(ref _owner, 0);
        if (Volatile.Read(ref _ownerWaiter) is not null)
        {
            Interlocked.Exchange(ref _ownerWaiter, null)?.TrySetResult();
        }
    }

    private Task HandleOwned(Envelope<TMessage> envelope)
    {
        // Count first, then look for a pause: a restart that sets the pause and then sees no active
        // handler can swap the instance safely (both sides use full fences).
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _pause) is { } pause)
        {
            LeaveHandler();
            return HandleAfterPauseAsync(envelope, pause);
        }

        return HandleActive(envelope);
    }

    private async Task HandleAfterPauseAsync(Envelope<TMessage> envelope, TaskCompletionSource pause)
    {
        await pause.Task.ConfigureAwait(false);
        await HandleTakenAsync(envelope).ConfigureAwait(false);
    }

    /// <summary>Marks one handler as finished (releasing ownership); the last one out signals a waiting restart.</summary>
    private void LeaveHandler()
    {
        if (Interlocked.Decrement(ref _active) <= Volatile.Read(ref _drainTarget) && Volatile.Read(ref _pause) is not null)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }

        if (_exclusive)
        {
            ReleaseOwner();
        }

        if (Volatile.Read(ref _spaceWaiters) > 0 && Volatile.Read(ref _queued) <= _lowWatermark)
        {
            SignalSpace();
        }
    }

    /// <summary>Runs the handler while counted as active; leaves on every path.</summary>
    private Task HandleActive(Envelope<TMessage> envelope)
    {
        if (_discarding)
        {
            LeaveHandler();
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return Task.CompletedTask;
        }

        AssertOwned();
        var started = _watchdog || ActorMetrics.HandlerDuration.Enabled ? System.TimeProvider.GetTimestamp() : 0;
        if (_watchdog)
        {
            Volatile.Write(ref _handlerStarted, started);
        }

        ValueTask pending;
        var previous = EnterHandler(this);
        try
        {
            pending = _instance!.ReceiveAsync(envelope.Message, _context);
        }
#pragma warning disable CA1031 // The failure is reported to the supervisor, never swallowed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            ExitHandler(previous);
            return OnFailureAsync(envelope, exception);
        }

        ExitHandler(previous);

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            OnHandled(envelope, started);
            return Task.CompletedTask;
        }

        return AwaitHandlerAsync(pending, envelope, started);
    }

    private async Task AwaitHandlerAsync(ValueTask pending, Envelope<TMessage> envelope, long started)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The failure is reported to the supervisor, never swallowed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await OnFailureAsync(envelope, exception).ConfigureAwait(false);
            return;
        }

        OnHandled(envelope, started);
    }

    private void OnHandled(Envelope<TMessage> envelope, long started)
    {
        if (_watchdog)
        {
            Volatile.Write(ref _handlerStarted, Idle);
        }

        LeaveHandler();
        _pool.Return(envelope);
        ActorMetrics.Processed.Add(1);
        if (started != 0 && ActorMetrics.HandlerDuration.Enabled)
        {
            ActorMetrics.HandlerDuration.Record(System.TimeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
