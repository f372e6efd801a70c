using System.Diagnostics;
using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>A thread's state at one checkpoint, as returned by <c>GetStateAsync</c> and <c>GetStateHistoryAsync</c>.</summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
/// <param name="ThreadId">The thread.</param>
/// <param name="CheckpointId">The checkpoint's id.</param>
/// <param name="ParentCheckpointId">The checkpoint it follows, or null.</param>
/// <param name="Step">The checkpoint's step (0 for an input checkpoint).</param>
/// <param name="Values">The state.</param>
/// <param name="Next">The nodes of the tasks planned next, in planned order (empty: the thread has ended).</param>
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
    DateTimeOffset CreatedAt);
