namespace Graph.Engine.Graphs;

/// <summary>Thrown when a router or command goes somewhere it may not: an undeclared or unknown target, or a send whose argument the node does not take.</summary>
public sealed class InvalidRouteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidRouteException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidRouteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidRouteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal InvalidRouteException(string source, string target, IReadOnlyList<string>? declared, string message)
        : base(message)
    {
        SourceNode = source;
        Target = target;
        DeclaredTargets = declared ?? [];
    }

    /// <summary>The node whose router or command produced the route.</summary>
    public string SourceNode { get; } = string.Empty;

    /// <summary>The offending target.</summary>
    public string Target { get; } = string.Empty;

    /// <summary>The targets that were declared.</summary>
    public IReadOnlyList<string> DeclaredTargets { get; } = [];
}
