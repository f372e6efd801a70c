namespace Graph.Engine.Supervision;

/// <summary>
/// A supervisor's decider answered <see cref="SupervisorDirective.Escalate"/> for a child's failure: the
/// supervisor stopped all its children and failed with this exception (the child's exception inside).
/// </summary>
public sealed class ChildEscalatedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="supervisorPath">The supervisor that escalated.</param>
    /// <param name="childId">The failing child.</param>
    /// <param name="failure">The child's exception.</param>
    public ChildEscalatedException(string supervisorPath, string childId, Exception failure)
        : base($"Supervisor '{supervisorPath}' escalated the failure of child '{childId}': {failure?.Message}", failure)
    {
        SupervisorPath = supervisorPath;
        ChildId = childId;
    }

    /// <summary>The supervisor that escalated.</summary>
    public string SupervisorPath { get; }

    /// <summary>The failing child.</summary>
    public string ChildId { get; }
}
