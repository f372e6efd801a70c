using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The actor cell's failure path: suspending itself and reporting, and the supervisor's one-way answers (the
// discipline is in ActorCell{TMessage}.cs; the pause a failure takes is a FailurePause, claimed exactly once by
// whoever ends it: the answer, a group suspension, or the stop).
internal sealed partial class ActorCell<TMessage>
{
    private long _failures;

    /// <summary>Moved on by a group restart that dead-letters the queue: envelopes stamped before it are dropped.</summary>
    private int _epoch;

    /// <summary>A handler failed: suspend and report to the supervisor, or stop when there is none. Never blocks.</summary>
    private void OnFailure(Envelope<TMessage> envelope, Exception exception)
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

        // Suspended before the failure is published: whoever sees it sees the actor suspended.
        var supervisor = FailureHandler as IChildSupervisor;
        var suspension = supervisor is null ? null : TrySuspend(exception, message);
        ActorMetrics.Processed.Add(1);
        ActorMetrics.Failures.Add(1);
        System.OnActorFailed(this, exception, message);
        DeadLetterEnvelope(envelope, DeadLetterReason.HandlerFaulted, exception);
        if (supervisor is null)
        {
            // No supervisor (a top-level actor, or a parent that only hears of stops): a failure stops the actor.
            FailAndStop(exception);
            LeaveHandler();
            return;
        }

        LeaveHandler();
        if (suspension is not null)
        {
            supervisor.OnChildFailed(this, suspension.Id, exception, message);
        }
    }

    /// <summary>
    /// Suspends the actor for a failure (handlers arriving from now on wait); null when something else already holds
    /// it (a group suspension, or another handler's failure in a parallel actor) or it is stopping: the failure is
    /// then absorbed, as that holder decides the instance's fate.
    /// </summary>
    private FailurePause? TrySuspend(Exception exception, object? message)
    {
        var pause = new FailurePause(Interlocked.Increment(ref _failures), exception, message);
        return IsAccepting && !_discarding && Interlocked.CompareExchange(ref _pause, pause, null) is null ? pause : null;
    }

    /// <summary>Rents an envelope stamped with the current epoch.</summary>
    private Envelope<TMessage> RentStamped(TMessage message, IDeadLetterObserver? observer)
    {
        var envelope = _pool.Rent(message, observer);
        envelope.Epoch = Volatile.Read(ref _epoch);
        return envelope;
    }

    internal override bool IsSuspendedBy(long failure) => Volatile.Read(ref _pause) is FailurePause pause && pause.Id == failure && !pause.IsClaimed;

    internal override void ResumeAfterFailure(long failure)
    {
        if (TryClaimFailure(failure))
        {
            EndPause();
        }
    }

    internal override void RestartAfterFailure(long failure, TimeSpan shutdownTimeout)
    {
        if (Volatile.Read(ref _pause) is FailurePause pause && pause.Id == failure && pause.TryClaim())
        {
            _ = RestartClaimedAsync(shutdownTimeout, pause);
        }
    }

    internal override void StopAfterFailure(long failure, Exception exception)
    {
        if (TryClaimFailure(failure))
        {
            FailAndStop(exception);
        }
    }

    private bool TryClaimFailure(long failure) => Volatile.Read(ref _pause) is FailurePause pause && pause.Id == failure && pause.TryClaim();

    /// <summary>Lifts a suspension by a failure that nobody answered: the stop discards what waits behind it.</summary>
    private void ReleaseFailureOnStop()
    {
        if (Volatile.Read(ref _pause) is FailurePause pause && pause.TryClaim())
        {
            BeginDiscard();
            EndPause();
        }
    }

    private async Task RestartClaimedAsync(TimeSpan shutdownTimeout, FailurePause failure)
    {
        // Only parallel actors can still run handlers here: the failed one has left.
        if (!await DrainHandlersAsync(shutdownTimeout, Timeout.InfiniteTimeSpan).ConfigureAwait(false) || _discarding)
        {
            EndPause();
            return;
        }

        await PreRestartAsync(failure.Exception, failure.Message).ConfigureAwait(false);
        await ReplaceIncarnationAsync().ConfigureAwait(false);
        if (TryCreateInstance())
        {
            await PostRestartAsync(failure.Exception).ConfigureAwait(false);
        }

        EndPause();
    }

    private void FailAndStop(Exception exception)
    {
        BeginDiscard();
        EndPause();
        _ = StopCoreAsync(StopCause.Failure, exception, TimeSpan.Zero);
    }

    /// <summary>Cancels and replaces the incarnation, then disposes the instance; no handler may run.</summary>
    private async Task ReplaceIncarnationAsync()
    {
        var old = Interlocked.Exchange(ref _incarnation, new CancellationTokenSource());
        await old.CancelAsync().ConfigureAwait(false);
        old.Dispose();
        await DisposeInstanceAsync().ConfigureAwait(false);
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

    /// <summary>The pause a failure takes: ended by exactly one claimant.</summary>
    private sealed class FailurePause(long id, Exception exception, object? message) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private int _claimed;

        public long Id { get; } = id;

        public Exception Exception { get; } = exception;

        public object? Message { get; } = message;

        public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }
}
