namespace Graph.Engine.Orleans;

/// <summary>Per-call options of a <see cref="ClusterGraph{TState, TUpdate}"/> run: the fences and the double-texting policy.</summary>
public sealed record ClusterCallOptions
{
    /// <summary>
    /// The call's id. A call is run at most once per id, however often it is delivered or retried; null makes a new
    /// id. Set it to retry a call yourself (after your process restarted, say) without running it twice.
    /// </summary>
    /// <value>Default null.</value>
    public string? CallId { get; init; }

    /// <summary>
    /// The checkpoint fence: the thread's latest checkpoint must have this id (0: the thread has none), else the call
    /// fails with <see cref="ThreadFenceException"/> and nothing runs. Null checks nothing.
    /// </summary>
    /// <value>Default null.</value>
    public long? ExpectedCheckpointId { get; init; }

    /// <summary>What to do when the thread has a run in flight; null takes <see cref="ClusterGraphOptions.DoubleTexting"/>.</summary>
    /// <value>Default null.</value>
    public DoubleTexting? DoubleTexting { get; init; }
}
