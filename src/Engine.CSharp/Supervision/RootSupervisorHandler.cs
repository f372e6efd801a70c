using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>Stands in for the missing parent of a top-level supervisor: its failure faults its completion and the system's.</summary>
internal sealed class RootSupervisorHandler(Supervisor supervisor) : IChildFailureHandler
{
    public ValueTask<ChildFailureDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message)
    {
        supervisor.System.ReportRootFailure(exception);
        return ValueTask.FromResult(ChildFailureDirective.Stop);
    }

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
    }
}
