namespace Graph.Cli;

/// <summary>A failure the user can act on: printed as one line on stderr, with its exit code, never with a stack trace.</summary>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="message">The one-line message.</param>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
