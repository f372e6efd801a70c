using Graph.Engine.Checkpoints;

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

    /// <summary>Replaces <see cref="GraphCompileOptions.InterruptBefore"/> for this run; null keeps the compiled list.</summary>
    /// <value>Default null.</value>
    public IReadOnlyList<string>? InterruptBefore { get; init; }

    /// <summary>Replaces <see cref="GraphCompileOptions.InterruptAfter"/> for this run; null keeps the compiled list.</summary>
    /// <value>Default null.</value>
    public IReadOnlyList<string>? InterruptAfter { get; init; }

    /// <summary>Overrides <see cref="GraphCompileOptions.Durability"/> for this run.</summary>
    /// <value>Default null.</value>
    public CheckpointDurability? Durability { get; init; }

    /// <summary>
    /// For <c>ResumeAsync</c>: the checkpoint to continue from; null is the thread's latest. An older checkpoint is
    /// first forked (a copy with <see cref="CheckpointSource.Fork"/> whose parent is that checkpoint), so the thread's
    /// history is never rewritten: this is replay.
    /// </summary>
    /// <value>Default null.</value>
    public long? CheckpointId { get; init; }

    /// <summary>
    /// Asks the run to drain: once cancelled, a run with a checkpointer and a thread stops at the next step boundary,
    /// after that step's checkpoint, and ends as <see cref="GraphRunStatus.Drained"/> (resume it with <c>ResumeAsync</c>).
    /// A run without a checkpointer cannot be resumed, so it runs to its end.
    /// </summary>
    /// <value>Default none.</value>
    public CancellationToken DrainToken { get; init; }

    /// <summary>
    /// What this run does when its thread already has a run in flight in this process (double texting): refuse
    /// (<see cref="MultitaskStrategy.Reject"/>), wait, interrupt the running run or roll it back. Needs a checkpointer and
    /// <see cref="ThreadId"/>; runs without a thread are independent.
    /// </summary>
    /// <value>Default <see cref="MultitaskStrategy.Reject"/>.</value>
    public MultitaskStrategy MultitaskStrategy { get; init; }

    /// <summary>
    /// Set by a host that admits runs on a thread itself (the Orleans thread grain: one activation per thread, calls
    /// fenced by call and checkpoint id): the run skips this process's <see cref="MultitaskStrategy"/> admission, so a
    /// run abandoned by a dead host in the same process never blocks its successor; the store's fence still keeps the
    /// history one chain.
    /// </summary>
    internal bool AdmittedByHost { get; init; }
}
