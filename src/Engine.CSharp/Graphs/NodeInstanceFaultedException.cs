namespace Graph.Engine.Graphs;

/// <summary>
/// Raised by a node actor after one of its tasks finally failed (the run has already been told), so that its
/// supervisor replaces the node's instance. It appears in dead letters and supervision events, never in a run's result.
/// </summary>
public sealed class NodeInstanceFaultedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NodeInstanceFaultedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NodeInstanceFaultedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NodeInstanceFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal NodeInstanceFaultedException(string node, int step)
        : base($"A task of node '{node}' failed at step {step}; its instance is replaced.")
    {
        Node = node;
    }

    /// <summary>The node whose instance is replaced.</summary>
    public string? Node { get; }
}
