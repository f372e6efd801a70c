namespace Graph.Engine.Supervision;

/// <summary>Whether a child is a worker or a supervisor of its own children.</summary>
public enum ChildKind
{
    /// <summary>An ordinary actor.</summary>
    Worker,

    /// <summary>A supervisor: shut down with <see cref="ChildShutdown.Infinity"/> by default.</summary>
    Supervisor,
}
