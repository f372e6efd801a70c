using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

// The actor cell's failure path: the supervisor's decision, restart, suspend and resume (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    private async Task OnFailureAsync(Envelope<TMessage> envelope, Exception exception)
    {
        Volatile.Write(ref _handlerStarted, Idle);
        var message = envelope.Message;
        if ((_discarding || _suspendCancelled) && exception is OperationCanceledException)
        {
            // The stop (or the supervisor taking this instance's place) cancelled this handler: the message was
            // not processed because the instance stopped; that is not a failure.
            LeaveHandler();
            DeadLetterEnvelope(envelope, DeadLetterReason.ActorStopped, null);
            return;
        }

        try
        {
            ActorMetrics.Processed.Add(1);
            ActorMetrics.Failures.Add(1);
            System.OnActorFailed(this, exception, message);
            DeadLetterEnvelope(envelope, DeadLetterReason.HandlerFaulted, exception);
            var directive = await DecideAsync(exception, message).ConfigureAwait(false);
            switch (directive)
            {
                case ChildFailureDirective.Resume:
                    break;
                case ChildFailureDirective.Restart:
                    if (!await TryReplaceInstanceAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
                default:
                    FailAndStop(exception);
                    break;
            }
        }
        finally
        {
            LeaveHandler();
        }
    }

    private async ValueTask<ChildFailureDirective> DecideAsync(Exception exception, object? message)
    {
        if (FailureHandler is not { } handler)
        {
            return ChildFailureDirective.Stop;
        }

        try
        {
            return await handler.OnChildFailedAsync(this, exception, message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A broken supervisor hook stops the child rather than killing the process.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ChildFailureDirective.Stop;
        }
    }

    private void FailAndStop(Exception exception)
    {
        BeginDiscard();
        _ = StopCoreAsync(StopCause.Failure, exception, TimeSpan.Zero);
    }

    /// <summary>Swaps in a fresh instance. On a factory failure the actor stops as faulted and this returns false.</summary>
    private async Task<bool> TryReplaceInstanceAsync()
    {
        var old = Interlocked.Exchange(ref _incarnation, new CancellationTokenSource());
        await old.CancelAsync().ConfigureAwait(false);
        old.Dispose();
        await DisposeInstanceAsync().ConfigureAwait(false);
        return TryCreateInstance();
    }

    /// <summary>Creates a fresh instance; a factory failure stops the actor as faulted and returns false.</summary>
    private bool TryCreateInstance()
    {
        try
        {
            CreateFirstInstance();
            return true;
        }
#pragma warning disable CA1031 // A factory failure during restart stops the actor as faulted.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            System.OnActorFailed(this, exception, null);
            FailAndStop(exception);
            return false;
        }
    }

    internal override async Task RestartAsync(TimeSpan shutdownTimeout)
    {
        if (await SuspendAsync(shutdownTimeout, 0).ConfigureAwait(false))
        {
            ResumeSuspended(createInstance: true);
        }
    }

    internal override async Task<bool> SuspendAsync(TimeSpan shutdownTimeout, int handlersHeldByCaller)
    {
        var pause = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (Interlocked.CompareExchange(ref _pause, pause, null) is { } other)
        {
            // Another suspension holds the actor: wait until it resumes, then take our turn.
            await other.Task.ConfigureAwait(false);
        }

        // Published after the pause and before reading the count: a handler that leaves after this read sees
        // both and signals; one that left before it is not counted. The caller's own handler (if it is the
        // failing child's) stays counted, hence the target.
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drainTarget, handlersHeldByCaller);
        Interlocked.Exchange(ref _drained, drained);
        if (Volatile.Read(ref _active) > handlersHeldByCaller)
        {
            if (shutdownTimeout == TimeSpan.Zero)
            {
                _suspendCancelled = true;
                await Volatile.Read(ref _incarnation).CancelAsync().ConfigureAwait(false);
            }
            else if (shutdownTimeout != Timeout.InfiniteTimeSpan)
            {
                try
                {
                    await drained.Task.WaitAsync(shutdownTimeout, System.TimeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    _suspendCancelled = true;
                    await Volatile.Read(ref _incarnation).CancelAsync().ConfigureAwait(false);
                }
            }

            if (Volatile.Read(ref _active) > handlersHeldByCaller)
            {
                await drained.Task.ConfigureAwait(false);
            }
        }

        if (_discarding)
        {
            EndPause();
            return false;
        }

        var old = Interlocked.Exchange(ref _incarnation, new CancellationTokenSource());
        await old.CancelAsync().ConfigureAwait(false);
        old.Dispose();
        await DisposeInstanceAsync().ConfigureAwait(false);
        return true;
    }

    internal override bool ResumeSuspended(bool createInstance)
    {
        try
        {
            if (!createInstance || _discarding)
            {
                BeginDiscard();
                return false;
            }

            return TryCreateInstance();
        }
        finally
        {
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
