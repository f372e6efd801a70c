namespace Graph.Engine.Graphs;

/// <summary>What a supervised run does when a failure would exceed its restart intensity (<see cref="RunSupervision"/>).</summary>
public enum RunExhaustedAction
{
    /// <summary>
    /// Leave the thread interrupted: the failed task (each failed task of a step under
    /// <see cref="BranchFailurePolicy.ContinueOthers"/>) gets a pending interrupt whose value is a <see cref="RunFailure"/>,
    /// and the run returns <see cref="GraphRunStatus.Interrupted"/>. Inspect it with
    /// <see cref="CompiledGraph{TState, TUpdate}.GetStateAsync"/>, fix the state with
    /// <see cref="CompiledGraph{TState, TUpdate}.UpdateStateAsync"/> if needed, and resume.
    /// </summary>
    Interrupt,

    /// <summary>
    /// Throw the last failure (a <see cref="NodeFailedException"/>, or a <see cref="StepFailedException"/> under
    /// <see cref="BranchFailurePolicy.ContinueOthers"/>), as an unsupervised run does (the thread stays resumable).
    /// </summary>
    Fail,
}
