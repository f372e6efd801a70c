namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown under <see cref="BranchFailurePolicy.ContinueOthers"/> when tasks of a step failed: raised after every
/// sibling finished. <see cref="AggregateException.InnerExceptions"/> holds each task's <see cref="NodeFailedException"/>;
/// <see cref="Failures"/> names them. The step's successful writes are kept: a resume reruns only the failed tasks.
/// </summary>
public sealed class StepFailedException : AggregateException
{
    /// <summary>Creates the exception.</summary>
    public StepFailedException()
        : base("A step failed.")
    {
        Failures = [];
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StepFailedException(string message)
        : base(message)
    {
        Failures = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    internal StepFailedException(int step, IReadOnlyList<NodeFailure> failures, IEnumerable<NodeFailedException> errors)
        : base(
            $"Step {step} failed in {failures.Count} task(s) after its other tasks finished: {string.Join("; ", failures.Select(f => $"'{f.Node}' ({f.Error.GetType().Name}: {f.Error.Message})"))}. Resume the thread to rerun only these.",
            errors)
    {
        Step = step;
        Failures = failures;
    }

    /// <summary>The step that failed.</summary>
    public int Step { get; }

    /// <summary>Each failed task, in the step's planned order.</summary>
    public IReadOnlyList<NodeFailure> Failures { get; }
}
