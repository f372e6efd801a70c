namespace Graph.Engine.Graphs;

/// <summary>Thrown when a node's task fails after its last attempt; names the node, the step and the attempt.</summary>
public sealed class NodeFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NodeFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NodeFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NodeFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal NodeFailedException(string node, int step, int taskIndex, int attempts, Exception innerException)
        : base($"Node '{node}' failed in step {step} (task {taskIndex}) on attempt {attempts}: {innerException.Message}", innerException)
    {
        Node = node;
        Step = step;
        TaskIndex = taskIndex;
        Attempts = attempts;
    }

    /// <summary>The failing node.</summary>
    public string Node { get; } = string.Empty;

    /// <summary>The step in which it failed.</summary>
    public int Step { get; }

    /// <summary>The failing task's index in the step.</summary>
    public int TaskIndex { get; }

    /// <summary>The number of attempts made.</summary>
    public int Attempts { get; }
}
