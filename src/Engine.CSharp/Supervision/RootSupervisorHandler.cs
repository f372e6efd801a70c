using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>Stands in for the missing parent of a top-level supervisor: its failure faults its completion and the system's.</summary>
internal sealed class RootSupervisorHandler(Supervisor supervisor) : IChildSupervisor
{
    public void OnChildFailed(ActorRef child, long failure, Exception exception, object? message)
    {
        supervisor.System.ReportRootFailure(exception);
        child.StopAfterFailure(failure, exception);
    }

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
    }
}
