using System.Diagnostics;
using System.Text;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>A thread's state at one checkpoint, as returned by <c>GetStateAsync</c> and <c>GetStateHistoryAsync</c>.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="ThreadId">The thread.</param>
/// <param name="CheckpointId">The checkpoint's id.</param>
/// <param name="ParentCheckpointId">The checkpoint it follows, or null.</param>
/// <param name="Step">The checkpoint's step (0 for an input checkpoint).</param>
/// <param name="Values">
/// The state: the checkpoint's, with the writes of the planned tasks that already finished folded in (through the
/// reducer, in planned order) when the step stopped part-way, as LangGraph's pending writes.
/// </param>
/// <param name="Next">
/// The nodes of the planned tasks still to run, in planned order (empty: the thread has ended). When every planned
/// task has finished but the step was not yet reduced, all of them.
/// </param>
/// <param name="CompletedTasks">Ids of planned tasks whose updates are already recorded (they will not run again).</param>
/// <param name="Interrupts">The pending dynamic interrupts of planned tasks.</param>
/// <param name="Metadata">Source, writers and properties.</param>
/// <param name="CreatedAt">When the checkpoint was written.</param>
[DebuggerDisplay("Checkpoint {CheckpointId} step {Step}")]
public sealed record StateSnapshot<TState>(
    string ThreadId,
    long CheckpointId,
    long? ParentCheckpointId,
    int Step,
    TState Values,
    IReadOnlyList<string> Next,
    IReadOnlyList<string> CompletedTasks,
    IReadOnlyList<GraphInterrupt> Interrupts,
    CheckpointMetadata Metadata,
    DateTimeOffset CreatedAt)
{
    /// <summary>The planned tasks that failed in the stopped step, with their recorded errors (they run again on resume).</summary>
    public IReadOnlyList<TaskError> Errors { get; init; } = [];

    /// <summary>The earliest due time of the pending durable timers (<see cref="InterruptKind.Timer"/>), or null.</summary>
    public DateTimeOffset? WakeAt => RunPause.WakeAtOf(Interrupts);

    /// <summary>Prints the members with their contents (see <see cref="ValueText"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Whether anything was printed.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Member(nameof(ThreadId), ThreadId, first: true).Member(nameof(CheckpointId), CheckpointId)
            .Member(nameof(ParentCheckpointId), ParentCheckpointId).Member(nameof(Step), Step).Member(nameof(Values), Values)
            .Member(nameof(Next), ValueText.List(Next)).Member(nameof(CompletedTasks), ValueText.List(CompletedTasks))
            .Member(nameof(Interrupts), ValueText.List(Interrupts.Select(i => i.ToString())));
        if (Errors.Count > 0)
        {
            builder.Member(nameof(Errors), ValueText.List(Errors.Select(e => $"{e.Node}: {e.Error}")));
        }

        builder.Member(nameof(CreatedAt), CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}
