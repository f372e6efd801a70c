using System.CommandLine;
using System.Globalization;
using Graph.Cli.Store;
using Graph.Engine.Sqlite;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph compact --db F</c>: checks the file's references (no dangling or leaked state or chunk), then rebuilds it
/// without free pages. A file with broken references is reported and left as it is.
/// </summary>
internal static class CompactCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var command = new Command("compact", "Check a checkpoint database's references and rebuild it without free pages.") { db };
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetRequiredValue(db), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo db, CancellationToken cancellationToken)
    {
        await using (var store = CheckpointFile.OpenExisting(db))
        {
            var report = await store.CheckConsistencyAsync(cancellationToken).ConfigureAwait(false);
            if (!report.IsConsistent)
            {
                throw new CliException(ExitCodes.StoreError, $"'{db.FullName}' has broken references ({report}); it was not compacted.");
            }
        }

        var (before, after) = SqliteCheckpointer.Compact(db.FullName);
        context.Out.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"compacted {db.FullName}: {before:N0} -> {after:N0} bytes (references checked: no dangling or leaked state or chunk)")));
        return ExitCodes.Ok;
    }
}
