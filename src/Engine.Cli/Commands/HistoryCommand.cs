using System.CommandLine;
using System.Globalization;
using Graph.Cli.Output;
using Graph.Cli.Store;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary><c>graph history --db F --thread T [--limit N]</c>: lists a thread's checkpoints, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var keyFile = CommonOptions.KeyFile();
        var thread = CommonOptions.Thread();
        var limit = new Option<int?>("--limit")
        {
            Description = "Show only the newest N checkpoints.",
            HelpName = "N",
            CustomParser = result => (int?)CommonOptions.PositiveLong(result, "--limit", "a positive number", int.MaxValue),
        };
        var command = new Command("history", "List the checkpoints of a thread, newest first.") { db, thread, limit, keyFile };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context, parsed.GetRequiredValue(db), parsed.GetRequiredValue(thread), parsed.GetValue(limit), parsed.GetValue(keyFile), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, string thread, int? limit, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        await using var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken, keyFile).ConfigureAwait(false);
        var store = opened.Store;
        var history = await store.ListAsync(thread, limit, null, cancellationToken).ConfigureAwait(false);
        if (history.Count == 0)
        {
            throw CommonOptions.UnknownThread(thread, db);
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("checkpoint", "parent", "step", "source", "writers", "next", "created");
        foreach (var checkpoint in history)
        {
            table.AddRow(
                checkpoint.Id.ToString(CultureInfo.InvariantCulture),
                checkpoint.ParentId?.ToString(CultureInfo.InvariantCulture) ?? "-",
                checkpoint.Step.ToString(CultureInfo.InvariantCulture),
                CheckpointText.Source(checkpoint),
                Markup.Escape(CheckpointText.Writers(checkpoint)),
                Markup.Escape(CheckpointText.NextNodes(checkpoint)),
                CheckpointText.Time(checkpoint.CreatedAt));
        }

        var console = context.Out;
        console.MarkupLine($"thread [bold]{Markup.Escape(thread)}[/] in {Markup.Escape(db.Display)}");
        console.Write(table);
        console.MarkupLine($"[grey]{history.Count} checkpoint(s), newest first; latest: {Markup.Escape(CheckpointText.Status(history[0]))}[/]");
        return ExitCodes.Ok;
    }
}
