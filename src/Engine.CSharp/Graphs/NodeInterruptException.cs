namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown by <see cref="NodeContext.Interrupt{TResume}(object?)"/> to stop the node until the thread is resumed.
/// Let it propagate: a node that catches it must rethrow it. It is never retried by <see cref="RetryPolicy"/>; a Polly
/// pipeline must not handle it either (filter it out of <c>ShouldHandle</c>).
/// </summary>
public sealed class NodeInterruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="interrupt"/>.</summary>
    /// <param name="interrupt">The interrupt.</param>
    public NodeInterruptException(GraphInterrupt interrupt)
        : base($"Node '{interrupt?.Node}' interrupted (interrupt '{interrupt?.Id}').")
    {
        ArgumentNullException.ThrowIfNull(interrupt);
        Interrupt = interrupt;
    }

    /// <summary>The interrupt.</summary>
    public GraphInterrupt Interrupt { get; }

    /// <summary>The resume values given to the task's earlier interrupt calls, kept so a later resume can replay them.</summary>
    internal IReadOnlyList<object?> EarlierValues { get; init; } = [];
}
