using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// A checkpoint was handed to the checkpointer (with <see cref="CheckpointDurability.PerStepSync"/> and
/// <see cref="CheckpointDurability.AtExit"/>: stored; with <see cref="CheckpointDurability.Async"/> the commit may still be
/// in flight, and the run awaits it before it returns).
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The checkpoint's step (0 for the input checkpoint).</param>
/// <param name="ThreadId">The thread.</param>
/// <param name="CheckpointId">The checkpoint's id.</param>
/// <param name="Source">Why it was written.</param>
public sealed record CheckpointSavedEvent(string RunId, int Step, string ThreadId, long CheckpointId, CheckpointSource Source)
    : GraphEvent(RunId, Step);
