namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown by <c>ResumeAsync</c> and <c>StreamResumeAsync</c> when the checkpoint to continue from plans no tasks: the
/// thread's run has finished and there is nothing to resume. Nothing is written. Start a new run on the thread
/// (<c>InvokeAsync</c> or <c>RunAsync</c> with its <see cref="RunOptions.ThreadId"/>), or resume from an earlier
/// checkpoint (<see cref="RunOptions.CheckpointId"/>: replay).
/// </summary>
public sealed class GraphThreadFinishedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public GraphThreadFinishedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public GraphThreadFinishedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GraphThreadFinishedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GraphThreadFinishedException(string threadId, long checkpointId)
        : base($"Thread '{threadId}' has finished: its checkpoint {checkpointId} plans no more tasks, so there is nothing to resume. " +
               $"Start a new run on the thread with InvokeAsync or RunAsync (RunOptions.ThreadId = \"{threadId}\"; its history continues), " +
               "or resume from an earlier checkpoint with RunOptions.CheckpointId (replay).")
    {
        ThreadId = threadId;
        CheckpointId = checkpointId;
    }

    /// <summary>The thread that has finished.</summary>
    public string ThreadId { get; } = string.Empty;

    /// <summary>The checkpoint that plans no tasks (the latest, or the one named by <see cref="RunOptions.CheckpointId"/>).</summary>
    public long CheckpointId { get; }
}
