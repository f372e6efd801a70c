namespace Graph.Engine.Checkpoints;

/// <summary>Why a checkpoint was written.</summary>
public enum CheckpointSource
{
    /// <summary>The run's input was applied (the first checkpoint of a run, usually step -1).</summary>
    Input,

    /// <summary>A superstep of the graph completed.</summary>
    Loop,

    /// <summary>The state was changed from outside a run, as if a node wrote it (<c>UpdateState</c>).</summary>
    Update,

    /// <summary>A copy of an earlier checkpoint, the start of a new branch of history (time travel).</summary>
    Fork,
}
