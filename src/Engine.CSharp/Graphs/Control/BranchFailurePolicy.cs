namespace Graph.Engine.Graphs;

/// <summary>
/// What a step does when one of its parallel tasks fails after its retries and no error handler takes the failure
/// (for the graph with <c>StateGraph.SetBranchFailures</c> or <c>StateGraph.CollectBranchFailures</c>; for the sources
/// of one join with <c>StateGraph.AddJoin(sources, target, policy)</c> or <c>AddJoin(sources, target, collect)</c>;
/// docs/control.md).
/// In every policy the writes of the siblings that finished are kept as pending writes, so a resume reruns only what
/// did not finish.
/// </summary>
public enum BranchFailurePolicy
{
    /// <summary>The run fails at once with the task's <see cref="NodeFailedException"/>; running siblings are cancelled.</summary>
    FailFast,

    /// <summary>
    /// The siblings run to their end (their writes are recorded); then the run fails with a
    /// <see cref="StepFailedException"/> naming every failed task. The step is not applied.
    /// </summary>
    ContinueOthers,

    /// <summary>
    /// A failed task's failure becomes an update (the collector's value) and the step goes on: the node's edges and
    /// joins are followed as after a success, so a join receives each branch's result or error as a value.
    /// </summary>
    Collect,
}
