namespace Graph.Engine.Orleans;

/// <summary>
/// A call named the checkpoint it expected the thread to be at, and the thread has moved on: the call was not applied.
/// </summary>
[GenerateSerializer]
public sealed class ThreadFenceException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="expected">The checkpoint id the call expected (0: no checkpoint).</param>
    /// <param name="actual">The thread's latest checkpoint id (0: no checkpoint).</param>
    public ThreadFenceException(string threadId, long expected, long actual)
        : base($"Thread '{threadId}' is at checkpoint {actual}, but the call expected checkpoint {expected}; it was not applied.")
    {
        ThreadId = threadId;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The thread.</summary>
    [Id(0)]
    public string ThreadId { get; }

    /// <summary>The checkpoint id the call expected (0: no checkpoint).</summary>
    [Id(1)]
    public long Expected { get; }

    /// <summary>The thread's latest checkpoint id (0: no checkpoint).</summary>
    [Id(2)]
    public long Actual { get; }
}
