namespace Graph.Engine.Testing;

/// <summary>The context of a node run on its own (<see cref="NodeIsolation.RunNodeAsync"/>).</summary>
public sealed record IsolatedContext
{
    /// <summary>The Send argument of a worker node.</summary>
    public object? Argument { get; init; }

    /// <summary>The step the node believes it runs in.</summary>
    /// <value>Default 1.</value>
    public int Step { get; init; } = 1;

    /// <summary>The task index.</summary>
    /// <value>Default 0.</value>
    public int TaskIndex { get; init; }

    /// <summary>The attempt number.</summary>
    /// <value>Default 1.</value>
    public int Attempt { get; init; } = 1;

    /// <summary>The run id.</summary>
    /// <value>Default "isolated".</value>
    public string RunId { get; init; } = "isolated";

    /// <summary>The thread id, or null.</summary>
    public string? ThreadId { get; init; }

    /// <summary>
    /// The values its <c>Interrupt</c> calls return, in order; null when the node may not interrupt (an
    /// <c>Interrupt</c> call then fails as in a run without a checkpointer). A call past the last value throws
    /// <see cref="Graphs.NodeInterruptException"/>, as in a run.
    /// </summary>
    public IReadOnlyList<object?>? ResumeValues { get; init; }

    /// <summary>The token the node sees.</summary>
    public CancellationToken CancellationToken { get; init; }
}
