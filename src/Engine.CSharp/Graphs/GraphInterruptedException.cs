namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown by <c>InvokeAsync</c> (which promises a final state) when the run stopped at an interrupt, was drained or
/// waits on a durable timer (<see cref="Status"/>). Use
/// <c>RunAsync</c> to get a <see cref="GraphRunResult{TState}"/> instead, and <c>ResumeAsync</c> to continue.
/// </summary>
public sealed class GraphInterruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint to resume.</param>
    /// <param name="interrupts">The pending interrupts.</param>
    /// <param name="state">The state at that checkpoint.</param>
    public GraphInterruptedException(string? threadId, long? checkpointId, IReadOnlyList<GraphInterrupt> interrupts, object? state)
        : base(RunPause.Describe(threadId, checkpointId, interrupts ?? []))
    {
        ThreadId = threadId;
        CheckpointId = checkpointId;
        Interrupts = interrupts ?? [];
        State = state;
    }

    /// <summary>The thread.</summary>
    public string? ThreadId { get; }

    /// <summary>The checkpoint the run stopped at.</summary>
    public long? CheckpointId { get; }

    /// <summary>The pending interrupts.</summary>
    public IReadOnlyList<GraphInterrupt> Interrupts { get; }

    /// <summary>The state at that checkpoint (a <c>TState</c>).</summary>
    public object? State { get; }

    /// <summary>Interrupted; <see cref="GraphRunStatus.Drained"/> when there are no interrupts; <see cref="GraphRunStatus.Waiting"/> when all are timers.</summary>
    public GraphRunStatus Status => RunPause.StatusOf(Interrupts);

    /// <summary>The earliest due time of the pending durable timers, or null.</summary>
    public DateTimeOffset? WakeAt => RunPause.WakeAtOf(Interrupts);
}
