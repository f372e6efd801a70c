namespace Graph.Cli;

/// <summary>The exit codes of the <c>graph</c> command. Each failure prints one line on stderr.</summary>
public static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error (a bug or an environment problem); the message names the exception type.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments: unknown command or option, missing required option, invalid value, unknown workload.</summary>
    public const int Usage = 2;

    /// <summary>A file named on the command line does not exist, or a file or folder cannot be written.</summary>
    public const int FileError = 3;

    /// <summary>The command exists but is not available in this build yet.</summary>
    public const int NotAvailable = 4;

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
