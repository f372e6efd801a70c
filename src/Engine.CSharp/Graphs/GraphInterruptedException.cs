namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown by <c>InvokeAsync</c> (which promises a final state) when the run stopped at an interrupt. Use
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
        : base($"The run of thread '{threadId}' was interrupted at checkpoint {checkpointId} ({string.Join(", ", (interrupts ?? []).Select(i => i.Id))}); resume it with ResumeAsync.")
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
}
