namespace Graph.Engine.Supervision;

/// <summary>
/// The fault of a child that a supervisor abandoned: its handler ignored its cancelled token for longer than
/// <see cref="SupervisorOptions.KillTimeout"/> after a brutal kill or a timed-out shutdown. A .NET task cannot be
/// killed; the handler runs on, detached from the tree, and the actor stops when it returns (as faulted with this
/// exception, unless a shutdown was already under way).
/// </summary>
public sealed class ChildAbandonedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="supervisorPath">The supervisor that gave up.</param>
    /// <param name="childId">The abandoned child.</param>
    /// <param name="killTimeout">How long its handler was waited for after its cancellation.</param>
    public ChildAbandonedException(string supervisorPath, string childId, TimeSpan killTimeout)
        : base($"Supervisor '{supervisorPath}' abandoned child '{childId}': its handler ignored its cancellation for {killTimeout}.")
    {
        SupervisorPath = supervisorPath;
        ChildId = childId;
    }

    /// <summary>The supervisor that gave up.</summary>
    public string SupervisorPath { get; }

    /// <summary>The abandoned child.</summary>
    public string ChildId { get; }
}
