namespace Graph.Engine.Supervision;

/// <summary>
/// A supervisor could not start a child: the children started before it were stopped (reverse order) and the
/// start failed with this exception, naming the child, with the child's exception inside.
/// </summary>
public sealed class ChildStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="supervisorPath">The supervisor.</param>
    /// <param name="childId">The child that failed to start.</param>
    /// <param name="failure">Why.</param>
    public ChildStartException(string supervisorPath, string childId, Exception failure)
        : base($"Supervisor '{supervisorPath}' failed to start child '{childId}': {failure?.Message}", failure)
    {
        SupervisorPath = supervisorPath;
        ChildId = childId;
    }

    /// <summary>The supervisor.</summary>
    public string SupervisorPath { get; }

    /// <summary>The child that failed to start.</summary>
    public string ChildId { get; }
}
