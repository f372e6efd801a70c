using System.Diagnostics;
using System.Text;

namespace Graph.Engine.Graphs;

/// <summary>The outcome of <c>RunAsync</c> or <c>ResumeAsync</c>: completed with a final state, or interrupted.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="Status">Completed, interrupted, drained or waiting.</param>
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

    /// <summary>When <see cref="Status"/> is <see cref="GraphRunStatus.Waiting"/> (or timers are among the interrupts): the earliest due time; else null.</summary>
    public DateTimeOffset? WakeAt => RunPause.WakeAtOf(Interrupts);

    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Member(nameof(Status), Status, first: true).Member(nameof(State), State)
            .Member(nameof(Interrupts), ValueText.List(Interrupts.Select(i => i.ToString())))
            .Member(nameof(ThreadId), ThreadId).Member(nameof(CheckpointId), CheckpointId);
        return true;
    }
}
