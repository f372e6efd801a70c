namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown when a run is started on a thread that already has a run in flight and the new run's
/// <see cref="RunOptions.MultitaskStrategy"/> is <see cref="MultitaskStrategy.Reject"/>. Nothing was started or written.
/// </summary>
public sealed class GraphThreadBusyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public GraphThreadBusyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public GraphThreadBusyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GraphThreadBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GraphThreadBusyException(string threadId, string? runningRunId)
        : base($"Thread '{threadId}' already has a run in flight{(runningRunId is null ? string.Empty : $" (run '{runningRunId}')")}, and this run's " +
               "RunOptions.MultitaskStrategy is Reject. Wait for that run to end, or start this one with MultitaskStrategy.Enqueue, Interrupt or Rollback.")
    {
        ThreadId = threadId;
        RunningRunId = runningRunId;
    }

    /// <summary>The busy thread.</summary>
    public string ThreadId { get; } = string.Empty;

    /// <summary>The id of the run in flight, or null when it had not started yet.</summary>
    public string? RunningRunId { get; }
}
