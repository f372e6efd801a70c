using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The actor cell's handling: running one handler, counted for suspensions (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>The ActionBlock's delegate (actors with parallelism above one): the message leaves the queue here, once.</summary>
    private Task HandleAsync(Envelope<TMessage> envelope)
    {
        Interlocked.Increment(ref _counts.Taken);
        AssertInvariants();
        return HandleTaken(envelope);
    }

    /// <summary>Handles a message taken from the queue (by the owner, if exclusive); the task never faults.</summary>
    private Task HandleTaken(Envelope<TMessage> envelope)
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

        return HandleOwned(envelope);
    }

    private Task HandleOwned(Envelope<TMessage> envelope)
    {
        // Count first, then look for a pause: a restart that sets the pause and then sees no active
        // handler can swap the instance safely (both sides use full fences).
        Interlocked.Increment(ref _counts.Active);
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
        await HandleTaken(envelope).ConfigureAwait(false);
    }

    /// <summary>Marks one handler as finished; the last one out signals a waiting suspension. (Ownership stays with the loop or inline run.)</summary>
    private void LeaveHandler()
    {
        if (Interlocked.Decrement(ref _counts.Active) <= Volatile.Read(ref _drainTarget) && Volatile.Read(ref _pause) is not null)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }

        if (Volatile.Read(ref _spaceWaiters) > 0 && _counts.Waiting <= _lowWatermark)
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
            OnFailure(envelope, exception);
            return Task.CompletedTask;
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
            OnFailure(envelope, exception);
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
