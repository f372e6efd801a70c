using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

// The children's side: called on their own threads, never waiting; each report is posted to the loop.
internal sealed partial class SupervisorActor
{
    public void OnChildFailed(ActorRef child, long failure, Exception exception, object? message)
    {
        if (_closed.IsCancellationRequested
            || _place.Cell.TryPost(new ChildFailedCommand(child, failure, exception, message)) != PostResult.Accepted)
        {
            // Nobody will decide: the child stops, as it would when this supervisor's close reaches it.
            child.StopAfterFailure(failure, exception);
        }
    }

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
        if (!_closed.IsCancellationRequested)
        {
            _place.Cell.TryPost(new ChildStoppedCommand(child, cause, reason));
        }
    }
}
