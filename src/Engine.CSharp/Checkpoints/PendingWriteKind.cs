namespace Graph.Engine.Checkpoints;

/// <summary>What a <see cref="PendingWrite"/> records about a task that ran in an unfinished step.</summary>
public enum PendingWriteKind
{
    /// <summary>The task finished and returned this update (serialized); it must not run again.</summary>
    Update,

    /// <summary>The task interrupted; the payload is the serialized interrupt value.</summary>
    Interrupt,

    /// <summary>The task failed; the payload describes the error.</summary>
    Error,
}
