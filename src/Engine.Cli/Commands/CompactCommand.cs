using System.CommandLine;
using System.Globalization;
using Graph.Cli.Store;
using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Sqlite;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph compact --db F|CONNECTION</c>: checks the store's references (no dangling or leaked state or chunk), then rebuilds
/// it without free pages (SQLite: VACUUM; PostgreSQL: VACUUM FULL of the store's tables). A store with broken references is
/// reported and left as it is.
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

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, CancellationToken cancellationToken)
    {
        long before, after;
        await using (var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken).ConfigureAwait(false))
        {
            CheckpointConsistencyReport report = opened.Store switch
            {
                SqliteCheckpointer sqlite => await sqlite.CheckConsistencyAsync(cancellationToken).ConfigureAwait(false),
                PostgresCheckpointer postgres => await postgres.CheckConsistencyAsync(cancellationToken).ConfigureAwait(false),
                _ => throw new CliException(ExitCodes.Unsupported, $"{db.Display} cannot be compacted."),
            };
            if (!report.IsConsistent)
            {
                throw new CliException(ExitCodes.StoreError, $"'{db.Display}' has broken references ({report}); it was not compacted.");
            }

            if (opened.Store is PostgresCheckpointer store)
            {
                (before, after) = await store.CompactAsync(cancellationToken).ConfigureAwait(false);
                return Report(context, db, before, after);
            }
        }

        (before, after) = SqliteCheckpointer.Compact(db.File!.FullName);
        return Report(context, db, before, after);
    }

    private static int Report(CliContext context, StoreLocation db, long before, long after)
    {
        context.Out.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"compacted {db.Display}: {before:N0} -> {after:N0} bytes (references checked: no dangling or leaked state or chunk)")));
        return ExitCodes.Ok;
    }
}
