namespace Graph.Engine.Graphs;

/// <summary>Thrown by a reducer when a step's updates break a rule, e.g. two writes to a last-value key in one step.</summary>
public sealed class InvalidUpdateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidUpdateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidUpdateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidUpdateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal InvalidUpdateException(string key, IReadOnlyList<string> nodes, string message)
        : base(message)
    {
        Key = key;
        Nodes = nodes;
    }

    internal InvalidUpdateException(IReadOnlyList<string> nodes, string message, Exception innerException)
        : base(message, innerException)
    {
        Nodes = nodes;
    }

    /// <summary>The key concerned, if any.</summary>
    public string? Key { get; }

    /// <summary>The nodes whose writes conflicted, in planned order.</summary>
    public IReadOnlyList<string> Nodes { get; } = [];
}
