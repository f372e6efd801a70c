namespace Graph.Engine.Orleans.Wire;

/// <summary>
/// One run or resume request to a thread grain. <see cref="CallId"/> names the logical call: a client that retries
/// (after a timeout or a lost silo) sends the same id, and the grain runs it at most once.
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed record WireRunCall
{
    /// <summary>The registered graph's name.</summary>
    [Id(0)]
    public required string Graph { get; init; }

    /// <summary>The call's id; it becomes the run id stamped on every checkpoint the run writes.</summary>
    [Id(1)]
    public required string CallId { get; init; }

    /// <summary>True to resume the thread, false to start a new run from <see cref="Input"/>.</summary>
    [Id(2)]
    public bool Resume { get; init; }

    /// <summary>The input state of a new run.</summary>
    [Id(3)]
    public byte[]? Input { get; init; }

    /// <summary>For a resume: the single value (<see cref="Graphs.Resume.With"/>), if any.</summary>
    [Id(4)]
    public WireValue? ResumeValue { get; init; }

    /// <summary>For a resume: values by interrupt id (<see cref="Graphs.Resume.ById"/>), if any.</summary>
    [Id(5)]
    public Dictionary<string, WireValue>? ResumeValues { get; init; }

    /// <summary>The checkpoint fence: the thread's latest checkpoint id must be this (0: no checkpoint yet); null checks nothing.</summary>
    [Id(6)]
    public long? ExpectedCheckpointId { get; init; }

    /// <summary>What to do when another run is in flight on the thread (a <see cref="DoubleTexting"/> value).</summary>
    [Id(7)]
    public int DoubleTexting { get; init; }

    /// <summary>For a resume: the checkpoint to continue from (replay); null for the latest.</summary>
    [Id(8)]
    public long? CheckpointId { get; init; }

    /// <summary>The step limit override, if any.</summary>
    [Id(9)]
    public int? StepLimit { get; init; }

    /// <summary>Static interrupts before these nodes, replacing the compiled list; null keeps it.</summary>
    [Id(10)]
    public string[]? InterruptBefore { get; init; }

    /// <summary>Static interrupts after these nodes, replacing the compiled list; null keeps it.</summary>
    [Id(11)]
    public string[]? InterruptAfter { get; init; }

    /// <summary>How long the grain waits for the run before answering <see cref="WireRunResult.Pending"/>.</summary>
    [Id(12)]
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(5);
}
