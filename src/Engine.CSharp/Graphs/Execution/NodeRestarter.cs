using Graph.Engine.Actors;

namespace Graph.Engine.Graphs;

/// <summary>
/// Supervision of node actors: a node actor only fails after its run has been told (retries are the run's
/// business), so the one decision left is to restart it in place with a fresh node instance, keeping the
/// queued tasks of other runs.
/// </summary>
internal sealed class NodeRestarter : IChildFailureHandler
{
    public static readonly NodeRestarter Instance = new();

    public ValueTask<ChildFailureDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message) =>
        ValueTask.FromResult(ChildFailureDirective.Restart);

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
    }
}
