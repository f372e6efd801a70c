using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Actors;

// The actor cell's stop: the slow-handler watchdog, closing (and sealing) and discarding the mailbox, disposing the instance (the discipline is in ActorCell{TMessage}.cs).
internal sealed partial class ActorCell<TMessage>
{
    internal override void CheckSlowHandler(long now, TimeSpan threshold)
    {
        var started = Volatile.Read(ref _handlerStarted);
        if (started == Idle || Volatile.Read(ref _slowReportedFor) == started)
        {
            return;
        }

        var elapsed = System.TimeProvider.GetElapsedTime(started, now);
        if (elapsed >= threshold && Interlocked.Exchange(ref _slowReportedFor, started) != started)
        {
            System.OnSlowHandler(this, typeof(TMessage), elapsed);
        }
    }

    private protected override void CloseMailbox()
    {
        Debug.Assert(!IsAccepting, "The mailbox closes only once the actor has stopped accepting.");
        _closed = true;
        ReleaseFailureOnStop();
        SignalSpace();
        if (!_exclusive)
        {
            CompleteUnderDropLock(_front ?? (IDataflowBlock)Block);
            return;
        }

        if (_dropOldest)
        {
            CompleteUnderDropLock(Queue);
        }
        else
        {
            CompleteInbox();
        }

        // Only now can no post succeed any more: the loop that sees the seal and then nothing to take may finish.
        _sealed = true;
        TrySchedule();
    }

    /// <summary>Completes a mailbox block; DropOldest's senders take the same lock, so none is half-way through.</summary>
    private void CompleteUnderDropLock(IDataflowBlock block)
    {
        if (_dropOldest)
        {
            lock (block)
            {
                block.Complete();
            }
        }
        else
        {
            block.Complete();
        }
    }

    private protected override void BeginDiscard()
    {
        if (_discarding)
        {
            return;
        }

        _discarding = true;
        try
        {
            Volatile.Read(ref _incarnation).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A restart swapped the incarnation concurrently; the new one is never used once discarding.
        }
    }

    private protected override async ValueTask DisposeInstanceAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        if (_closed)
        {
            await PostStopAsync(instance).ConfigureAwait(false);
        }

        try
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
#pragma warning disable CA1031 // A failing Dispose must not break a stop or a restart; it is reported.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            System.OnActorFailed(this, exception, null);
        }
    }
}
