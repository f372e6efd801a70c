namespace Graph.Engine.Orleans;

/// <summary>A run was started on a thread that has one in flight, under <see cref="DoubleTexting.Reject"/>.</summary>
[GenerateSerializer]
public sealed class ThreadBusyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The busy thread.</param>
    /// <param name="runningCallId">The id of the run in flight.</param>
    public ThreadBusyException(string threadId, string runningCallId)
        : base($"Thread '{threadId}' already has run '{runningCallId}' in flight; the new run was rejected (DoubleTexting.Reject).")
    {
        ThreadId = threadId;
        RunningCallId = runningCallId;
    }

    /// <summary>The busy thread.</summary>
    [Id(0)]
    public string ThreadId { get; }

    /// <summary>The id of the run in flight.</summary>
    [Id(1)]
    public string RunningCallId { get; }
}
