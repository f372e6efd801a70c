using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Graph.Cli.Store;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>Options shared by the inspection commands, and small output helpers.</summary>
internal static class CommonOptions
{
    public static Option<StoreLocation> Database() => new("--db")
    {
        Description = "The checkpoint store: a SQLite file, or a PostgreSQL connection string (\"Host=…;Database=…\"; the store's schema is its Search Path, else 'graph'). Never created by this command.",
        Required = true,
        HelpName = "FILE|CONNECTION",
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            var location = StoreLocation.Parse(token, out var error);
            if (error is not null)
            {
                result.AddError(error);
            }

            return location!;
        },
    };

    public static Option<FileInfo?> KeyFile() => new("--key-file")
    {
        Description = "Read and write the store through a ProtectedCheckpointer with the keys in this file: one 'ID:BASE64' line per key (32+ bytes), the last one current; the file must be private (chmod 600). Keys are never taken on the command line.",
        HelpName = "PATH",
    };

    public static Option<string> Thread() => new("--thread")
    {
        Description = "The thread id.",
        Required = true,
        HelpName = "T",
    };

    /// <summary>Parses one token as an integer from 1 to <paramref name="max"/>, or reports "NAME must be WHAT, not 'x'."</summary>
    public static long? PositiveLong(ArgumentResult result, string name, string what, long max = long.MaxValue)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        result.AddError($"{name} must be {what}, not '{token}'.");
        return null;
    }

    /// <summary>A file path as the user can paste it back into a shell.</summary>
    public static string Quote(string path) =>
        path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '&' or ';') ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'" : path;

    /// <summary>Writes "label  value" with the value escaped.</summary>
    public static void Field(IAnsiConsole console, string label, string value) =>
        console.MarkupLine($"[grey]{Markup.Escape(label.PadRight(11))}[/]{Markup.Escape(value)}");

    /// <summary>The not-found failure for a thread.</summary>
    public static CliException UnknownThread(string thread, StoreLocation db) =>
        new(ExitCodes.NotFound, $"thread '{thread}' not found in '{db.Display}' (see 'graph threads --db {db.Argument}').");
}
