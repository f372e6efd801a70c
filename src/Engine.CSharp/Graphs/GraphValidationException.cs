namespace Graph.Engine.Graphs;

/// <summary>Thrown by <see cref="StateGraph{TState, TUpdate}.Compile"/> when the graph is invalid; lists every problem.</summary>
public sealed class GraphValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with one problem.</summary>
    /// <param name="message">The problem.</param>
    public GraphValidationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and a cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The cause.</param>
    public GraphValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    /// <summary>Creates the exception from a list of problems.</summary>
    /// <param name="errors">One message per problem.</param>
    public GraphValidationException(IReadOnlyList<string> errors)
        : base(Format(errors)) => Errors = errors;

    /// <summary>One message per problem, in a deterministic order.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) =>
        $"The graph is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):{string.Concat(errors.Select(e => Environment.NewLine + "- " + e))}";
}
