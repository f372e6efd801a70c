using Graph.Engine.Actors;
using Graph.Engine.Supervision;

namespace Graph.Engine.Graphs;

/// <summary>
/// Supervision of node actors: a node actor only fails after its run has been told (retries are the run's
/// business), so the one decision left is to restart it in place with a fresh node instance, keeping the
/// queued tasks of other runs.
/// </summary>
internal sealed class NodeRestarter : IChildFailureHandler
{
    public static readonly NodeRestarter Instance = new();

    public ValueTask<SupervisorDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message) =>
        ValueTask.FromResult(SupervisorDirective.Restart);

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
    }
}
