using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary>Options shared by the inspection commands, and their checks.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Database(bool required) => new("--db")
    {
        Description = required ? "The SQLite checkpoint database." : "The SQLite checkpoint database to write (a temporary one when omitted).",
        Required = required,
        HelpName = "FILE",
    };

    public static Option<string> Thread() => new("--thread")
    {
        Description = "The thread id.",
        Required = true,
        HelpName = "T",
    };

    /// <summary>Throws a <see cref="CliException"/> with <see cref="ExitCodes.FileError"/> when the file does not exist.</summary>
    public static FileInfo Existing(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException(ExitCodes.FileError, $"database file '{file.FullName}' not found.");
        }

        return file;
    }

    /// <summary>Fails a command the engine does not offer yet (<see cref="ExitCodes.NotAvailable"/>); never returns.</summary>
    public static int NotAvailable(string command) =>
        throw new CliException(ExitCodes.NotAvailable, $"'{command}' is not available yet: the engine is not in this build.");
}
