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

    /// <summary>The command exists but is not available in this build (no command uses it today; kept so the code never changes meaning).</summary>
    public const int NotAvailable = 4;

    /// <summary>The database file is not a readable Graph checkpoint store (empty, not SQLite, corrupt, another application's, another schema version); it is left untouched.</summary>
    public const int StoreError = 5;

    /// <summary>The thread or checkpoint named on the command line is not in the database.</summary>
    public const int NotFound = 6;

    /// <summary>The command does not apply to this thread (<c>resume</c> on a thread that is not the demo graph's, or that has finished).</summary>
    public const int Unsupported = 7;

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
