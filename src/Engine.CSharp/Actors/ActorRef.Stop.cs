using System.Diagnostics;

namespace Graph.Engine.Actors;

// An actor's stop: two phases (drain, then discard), once, whatever asked for it.
public abstract partial class ActorRef
{
    /// <summary>Starts the stop once; later calls return the same task. The returned task never faults.</summary>
    internal Task StopCoreAsync(StopCause cause, Exception? fault, TimeSpan? drainTimeout, object? term = null)
    {
        if (Interlocked.CompareExchange(ref _stopStarted, 1, 0) == 0)
        {
            Cause = cause;
            Fault = fault;
            ExitTerm = term;
            _ = RunStopAsync(cause, fault, drainTimeout);
        }

        return _stopped.Task;
    }

    private async Task RunStopAsync(StopCause cause, Exception? fault, TimeSpan? drainTimeout)
    {
        // Never run the stop inline in the caller: a handler that stops its own actor must be able to return.
        await Task.Yield();
        Interlocked.Exchange(ref _state, (int)ActorState.Stopping);
        CloseMailbox();
        if (fault is not null)
        {
            BeginDiscard();
        }

        if (Volatile.Read(ref _stopping) is { } stopping)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        if (StopHook is { } hook)
        {
            try
            {
                await hook().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing hook must not prevent the stop; the children are stopped below anyway.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                System.OnActorFailed(this, exception, null);
            }
        }

        ActorRef[] children;
        lock (_childrenLock)
        {
            children = _children is null ? [] : [.. _children];
        }

        for (var i = children.Length - 1; i >= 0; i--)
        {
            await children[i].StopCoreAsync(StopCause.Shutdown, null, null).ConfigureAwait(false);
        }

        await DrainAsync(drainTimeout ?? Options.DrainTimeout).ConfigureAwait(false);
        await DisposeInstanceAsync().ConfigureAwait(false);

        System.Unregister(this);
        Parent?.RemoveChild(this);
        var final = fault is null ? ActorState.Stopped : ActorState.Faulted;
        Interlocked.Exchange(ref _state, (int)final);
        System.OnActorStopped(this, final, fault);
        try
        {
            FailureHandler?.OnChildStopped(this, cause, fault);
        }
        finally
        {
            if (fault is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(fault);
            }

            _stopped.TrySetResult();
        }
    }

    private async Task DrainAsync(TimeSpan timeout)
    {
        if (timeout == TimeSpan.Zero)
        {
            BeginDiscard();
        }
        else if (timeout != Timeout.InfiniteTimeSpan && !MailboxCompletion.IsCompleted)
        {
            try
            {
                await MailboxCompletion.WithinAsync(timeout, System.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ActorLog.DrainTimedOut(System.Logger, Path, timeout.TotalMilliseconds, QueueLength);
                BeginDiscard();
            }
        }

        // Once discarding, the remaining messages pass through the dead-letter path quickly;
        // a handler that ignores its cancelled token is still waited for.
        await MailboxCompletion.ConfigureAwait(false);
    }

    /// <summary>Undoes a spawn that failed part-way: nothing ran, so no events; anything queued is dead-lettered.</summary>
    internal void AbortSpawn(Exception reason)
    {
        Interlocked.Exchange(ref _stopStarted, 1);
        Interlocked.Exchange(ref _state, (int)ActorState.Stopped);
        CloseMailbox();
        BeginDiscard();
        _completion.TrySetException(reason);
        _ = _completion.Task.Exception;
        _stopped.TrySetResult();
    }

    /// <summary>Stops accepting: later sends are dead-lettered.</summary>
    private protected abstract void CloseMailbox();

    /// <summary>Cancels the running handler's token and dead-letters every queued message from now on.</summary>
    private protected abstract void BeginDiscard();

    /// <summary>Completes when the mailbox is closed and empty and no handler runs (nor, for good, an inline run).</summary>
    private protected abstract Task MailboxCompletion { get; }

    private protected abstract ValueTask DisposeInstanceAsync();
}
