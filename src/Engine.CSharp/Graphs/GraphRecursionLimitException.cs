namespace Graph.Engine.Graphs;

/// <summary>Thrown when a run would exceed its step limit without reaching its end.</summary>
public sealed class GraphRecursionLimitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphRecursionLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public GraphRecursionLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GraphRecursionLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GraphRecursionLimitException(int stepLimit, IReadOnlyList<string> pendingNodes)
        : base($"The run reached its step limit of {stepLimit} without ending; the next step would run [{string.Join(", ", pendingNodes)}]. " +
               "Raise RunOptions.StepLimit or GraphCompileOptions.StepLimit if the loop is intended, or check the loop's exit condition.")
    {
        StepLimit = stepLimit;
        PendingNodes = pendingNodes;
    }

    /// <summary>The step limit that was reached.</summary>
    public int StepLimit { get; }

    /// <summary>The nodes of the step that was not run.</summary>
    public IReadOnlyList<string> PendingNodes { get; } = [];
}
