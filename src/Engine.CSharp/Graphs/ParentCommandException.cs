namespace Graph.Engine.Graphs;

/// <summary>
/// Thrown by <see cref="NodeContext.CommandParent{TParentUpdate}(Command{TParentUpdate})"/> to hand a command to the
/// parent graph (LangGraph's <c>Command(graph=Command.PARENT)</c>). Let it propagate: the child run stops and the
/// subgraph node in the parent returns the command. It is never retried and no error handler sees it. Seen outside a
/// subgraph (a graph run on its own), it fails the run with this message.
/// </summary>
public sealed class ParentCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParentCommandException()
        : this("A node sent a command to its parent graph.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ParentCommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ParentCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ParentCommandException(string node, object command, Type updateType)
        : base($"Node '{node}' sent a command to its parent graph, which only a graph run as a subgraph node (AddSubgraph) has.")
    {
        Node = node;
        Command = command;
        UpdateType = updateType;
    }

    /// <summary>The node that sent the command.</summary>
    public string Node { get; } = string.Empty;

    /// <summary>The command, a <see cref="Command{TUpdate}"/> of the parent's update type.</summary>
    public object? Command { get; }

    /// <summary>The update type the command was created with.</summary>
    public Type? UpdateType { get; }

    /// <summary>The parent command in <paramref name="error"/> or its inner exceptions, or null.</summary>
    internal static ParentCommandException? Find(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is ParentCommandException found)
            {
                return found;
            }
        }

        return null;
    }
}
