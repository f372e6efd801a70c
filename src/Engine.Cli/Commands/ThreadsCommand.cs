using System.CommandLine;
using System.Globalization;
using Graph.Cli.Output;
using Graph.Cli.Store;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary><c>graph threads --db F</c>: lists the threads of a checkpoint database with their latest checkpoint.</summary>
internal static class ThreadsCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var keyFile = CommonOptions.KeyFile();
        var command = new Command("threads", "List the threads of a checkpoint database with their latest checkpoint.") { db, keyFile };
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetRequiredValue(db), parsed.GetValue(keyFile), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        await using var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken, keyFile).ConfigureAwait(false);
        var store = opened.Store;
        var threads = await store.ListThreadsAsync(cancellationToken).ConfigureAwait(false);
        var console = context.Out;
        if (threads.Count == 0)
        {
            console.MarkupLine($"no threads in {Markup.Escape(db.Display)}");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("thread", "latest", "step", "status", "state type", "created");
        foreach (var thread in threads)
        {
            if (await store.GetAsync(thread, null, cancellationToken).ConfigureAwait(false) is not { } latest)
            {
                continue;
            }

            table.AddRow(
                Markup.Escape(thread),
                latest.Id.ToString(CultureInfo.InvariantCulture),
                latest.Step.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(CheckpointText.Status(latest)),
                Markup.Escape(latest.StateType),
                CheckpointText.Time(latest.CreatedAt));
        }

        console.Write(table);
        console.MarkupLine($"[grey]{threads.Count} thread(s) in {Markup.Escape(db.Display)}[/]");
        return ExitCodes.Ok;
    }
}
