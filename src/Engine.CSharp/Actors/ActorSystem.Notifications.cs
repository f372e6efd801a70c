using Graph.Engine.Diagnostics;

namespace Graph.Engine.Actors;

// What the system tells the outside: dead letters, lifecycle and failure events, slow handlers.
public sealed partial class ActorSystem
{
    internal void PublishDeadLetter(string recipient, object? message, DeadLetterReason reason, Exception? exception, IDeadLetterObserver? observer)
    {
        Interlocked.Increment(ref _deadLetterCount);
        ActorMetrics.DeadLettered.Add(1, new KeyValuePair<string, object?>(EngineDiagnostics.ReasonTag, ActorMetrics.ReasonName(reason)));
        ActorLog.DeadLetter(Logger, recipient, reason);
        if (observer is null && !_deadLetters.HasObservers)
        {
            return;
        }

        var letter = new DeadLetter(recipient, message, reason, exception, TimeProvider.GetUtcNow());
        _deadLetters.Publish(letter);
        observer?.OnDeadLetter(letter);
    }

    internal void OnActorStopped(ActorRef actor, ActorState final, Exception? reason)
    {
        ActorLog.Stopped(Logger, actor.Path, final);
        if (_events.HasObservers)
        {
            _events.Publish(new ActorStopped(actor.Path, TimeProvider.GetUtcNow(), final, reason));
        }
    }

    internal void OnActorFailed(ActorRef actor, Exception exception, object? message)
    {
        var now = TimeProvider.GetUtcNow();
        ActorLog.HandlerFailed(Logger, exception, actor.Path, actor.MessageType.Name);
        if (Options.RecentFailureCount > 0)
        {
            _recentFailures.Enqueue(new ActorFailureRecord(actor.Path, now, exception, actor.MessageType));
            while (_recentFailures.Count > Options.RecentFailureCount && _recentFailures.TryDequeue(out _))
            {
            }
        }

        if (_events.HasObservers)
        {
            _events.Publish(new ActorFailed(actor.Path, now, exception, message));
        }
    }

    internal void OnSlowHandler(ActorRef actor, Type messageType, TimeSpan elapsed)
    {
        ActorLog.SlowHandler(Logger, actor.Path, messageType.Name, elapsed.TotalMilliseconds);
        _events.Publish(new SlowHandler(actor.Path, TimeProvider.GetUtcNow(), messageType, elapsed));
    }

    /// <summary>A top-level supervisor failed: faults <see cref="Completion"/> with its exception.</summary>
    internal void ReportRootFailure(Exception exception) => _completion.TrySetException(exception);

    internal void PublishEvent(ActorEvent actorEvent)
    {
        if (_events.HasObservers)
        {
            _events.Publish(actorEvent);
        }
    }

    private void ScanForSlowHandlers()
    {
        var now = TimeProvider.GetTimestamp();
        var threshold = Options.SlowHandlerThreshold!.Value;
        foreach (var actor in _actors.Values)
        {
            actor.CheckSlowHandler(now, threshold);
        }
    }
}
