using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>The outcome of <c>RunAsync</c> or <c>ResumeAsync</c>: completed with a final state, or interrupted.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="Status">Completed or interrupted.</param>
/// <param name="State">The final state, or the state of the last saved checkpoint when interrupted.</param>
/// <param name="Interrupts">The pending interrupts (empty when completed).</param>
/// <param name="ThreadId">The thread, or null for a run without a thread.</param>
/// <param name="CheckpointId">The thread's checkpoint the run ended at (null without a checkpointer).</param>
[DebuggerDisplay("{Status} at checkpoint {CheckpointId}")]
public sealed record GraphRunResult<TState>(
    GraphRunStatus Status,
    TState State,
    IReadOnlyList<GraphInterrupt> Interrupts,
    string? ThreadId,
    long? CheckpointId)
{
    /// <summary>Whether the run stopped at an interrupt.</summary>
    public bool IsInterrupted => Status == GraphRunStatus.Interrupted;
}
