namespace Graph.Engine.Graphs;

/// <summary>Options of one run. Immutable; derive variants with <c>with</c>.</summary>
public sealed record RunOptions
{
    /// <summary>The run's id; null generates one.</summary>
    /// <value>Default null.</value>
    public string? RunId { get; init; }

    /// <summary>The conversation/thread id the run belongs to (used by checkpointers); may be null.</summary>
    /// <value>Default null.</value>
    public string? ThreadId { get; init; }

    /// <summary>The timeout of the whole run; null means none. An expired run fails with <see cref="TimeoutException"/>.</summary>
    /// <value>Default null.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides <see cref="GraphCompileOptions.StepLimit"/> for this run.</summary>
    /// <value>Default null.</value>
    public int? StepLimit { get; init; }
}
