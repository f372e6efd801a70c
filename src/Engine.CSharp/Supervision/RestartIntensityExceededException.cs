namespace Graph.Engine.Supervision;

/// <summary>
/// A supervisor had more than <see cref="SupervisorOptions.MaxRestarts"/> restarts within
/// <see cref="SupervisorOptions.Period"/>: it stopped all its children and failed with this exception,
/// which its own supervisor handles (or, at the top, which faults the system's completion).
/// </summary>
public sealed class RestartIntensityExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="supervisorPath">The supervisor that gave up.</param>
    /// <param name="childId">The child whose exit needed the restart that was one too many.</param>
    /// <param name="maxRestarts">The configured maximum.</param>
    /// <param name="period">The configured window.</param>
    /// <param name="lastFailure">The last child failure, if the exit was a failure.</param>
    public RestartIntensityExceededException(string supervisorPath, string childId, int maxRestarts, TimeSpan period, Exception? lastFailure)
        : base($"Supervisor '{supervisorPath}' reached its restart intensity: more than {maxRestarts} restart(s) within {period} (last exit: child '{childId}').", lastFailure)
    {
        SupervisorPath = supervisorPath;
        ChildId = childId;
        MaxRestarts = maxRestarts;
        Period = period;
    }

    /// <summary>The supervisor that gave up.</summary>
    public string SupervisorPath { get; }

    /// <summary>The child whose exit needed one restart too many.</summary>
    public string ChildId { get; }

    /// <summary>The configured maximum number of restarts.</summary>
    public int MaxRestarts { get; }

    /// <summary>The configured window.</summary>
    public TimeSpan Period { get; }
}
