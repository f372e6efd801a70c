namespace Graph.Engine.Actors;

// The actor cell's suspension by its supervisor for a group restart, and the drain of running handlers that
// restarts and suspensions share (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    /// <summary>The failure behind the group suspension in progress, for the new instance's PostRestart; written under the pause.</summary>
    private Exception? _groupRestartCause;

    /// <summary>A message queued before a group restart that drops the queue: dead-lettered, and waiting senders are told of the space.</summary>
    private Task DropQueuedBeforeRestart(Envelope<TMessage> envelope)
    {
        DeadLetterEnvelope(envelope, DeadLetterReason.Restarted, null);
        if (Volatile.Read(ref _spaceWaiters) > 0 && _counts.Waiting <= _lowWatermark)
        {
            SignalSpace();
        }

        return Task.CompletedTask;
    }

    internal override async Task<SuspendOutcome> SuspendAsync(TimeSpan shutdownTimeout, TimeSpan killTimeout, bool dropQueued)
    {
        var pause = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FailurePause? cause = null;
        while (Interlocked.CompareExchange(ref _pause, pause, null) is { } other)
        {
            if (other is FailurePause failure && failure.TryClaim())
            {
                // Suspended by its own failure, not yet answered: this group restart takes that pause over
                // (the failure report, if still queued, finds it claimed and is absorbed).
                cause = failure;
                break;
            }

            // Another suspension holds the actor: wait until it ends, then take our turn.
            await other.Task.ConfigureAwait(false);
        }

        if (dropQueued)
        {
            // Every message accepted so far (stamped with the old epoch) is dead-lettered when it is taken.
            Interlocked.Increment(ref _epoch);
        }

        if (!await DrainHandlersAsync(shutdownTimeout, killTimeout).ConfigureAwait(false))
        {
            BeginDiscard();
            EndPause();
            return SuspendOutcome.Abandoned;
        }

        if (_discarding)
        {
            EndPause();
            return SuspendOutcome.Stopping;
        }

        await PreRestartAsync(cause?.Exception, cause?.Message).ConfigureAwait(false);
        _groupRestartCause = cause?.Exception;
        await ReplaceIncarnationAsync().ConfigureAwait(false);
        return SuspendOutcome.Suspended;
    }

    /// <summary>
    /// With the pause held: waits until no handler runs. After the shutdown timeout (at once when it is zero) the
    /// incarnation is cancelled, and a handler that ignores it is waited for at most <paramref name="killTimeout"/>
    /// (false then).
    /// </summary>
    private async Task<bool> DrainHandlersAsync(TimeSpan shutdownTimeout, TimeSpan killTimeout)
    {
        // Published after the pause and before reading the count: a handler that leaves after this read sees
        // both and signals; one that left before it is not counted.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drainTarget, 0);
        Interlocked.Exchange(ref _drained, drained);
        if (Volatile.Read(ref _counts.Active) == 0)
        {
            return true;
        }

        if (shutdownTimeout != Timeout.InfiniteTimeSpan)
        {
            if (shutdownTimeout > TimeSpan.Zero && await CompletesWithinAsync(drained.Task, shutdownTimeout).ConfigureAwait(false))
            {
                return true;
            }

            _suspendCancelled = true;
            await Volatile.Read(ref _incarnation).CancelAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _counts.Active) > 0 && killTimeout != Timeout.InfiniteTimeSpan)
            {
                return await CompletesWithinAsync(drained.Task, killTimeout).ConfigureAwait(false);
            }
        }

        if (Volatile.Read(ref _counts.Active) > 0)
        {
            await drained.Task.ConfigureAwait(false);
        }

        return true;
    }

    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WithinAsync(timeout, System.TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return task.IsCompleted;
        }
    }

    internal override async Task<bool> ResumeSuspendedAsync(bool createInstance)
    {
        try
        {
            if (!createInstance || _discarding)
            {
                BeginDiscard();
                return false;
            }

            if (!TryCreateInstance())
            {
                return false;
            }

            await PostRestartAsync(_groupRestartCause).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _groupRestartCause = null;
            EndPause();
        }
    }

    /// <summary>Lets waiting handlers (and inline runs) go again.</summary>
    private void EndPause()
    {
        Volatile.Write(ref _drained, null);
        Volatile.Write(ref _drainTarget, 0);
        _suspendCancelled = false;
        Interlocked.Exchange(ref _pause, null)?.TrySetResult();
    }
}
