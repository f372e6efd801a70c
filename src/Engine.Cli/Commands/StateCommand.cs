using System.CommandLine;
using System.Globalization;
using Graph.Cli.Output;
using Graph.Cli.Store;
using Graph.Engine.Checkpoints;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph state --db F --thread T [--checkpoint C]</c>: a checkpoint at the storage level, for any graph: the state
/// as indented JSON, the planned tasks, pending interrupts, recorded results and errors, and the metadata.
/// </summary>
internal static class StateCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var keyFile = CommonOptions.KeyFile();
        var thread = CommonOptions.Thread();
        var checkpoint = new Option<long?>("--checkpoint")
        {
            Description = "The checkpoint id (the latest when omitted; see 'graph history').",
            HelpName = "C",
            CustomParser = result => CommonOptions.PositiveLong(result, "--checkpoint", "a positive checkpoint id"),
        };
        var command = new Command("state", "Show the state of a thread at its latest or a given checkpoint.") { db, thread, checkpoint, keyFile };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context, parsed.GetRequiredValue(db), parsed.GetRequiredValue(thread), parsed.GetValue(checkpoint), parsed.GetValue(keyFile), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, string thread, long? id, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        await using var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken, keyFile).ConfigureAwait(false);
        var store = opened.Store;
        var checkpoint = await store.GetAsync(thread, id, cancellationToken).ConfigureAwait(false);
        if (checkpoint is null)
        {
            if (id is null || await store.GetAsync(thread, null, cancellationToken).ConfigureAwait(false) is null)
            {
                throw CommonOptions.UnknownThread(thread, db);
            }

            throw new CliException(ExitCodes.NotFound, $"thread '{thread}' has no checkpoint {id} (see 'graph history --db {db.Argument} --thread {thread}').");
        }

        Write(context.Out, checkpoint);
        return ExitCodes.Ok;
    }

    internal static void Write(IAnsiConsole console, Checkpoint checkpoint)
    {
        var parent = checkpoint.ParentId is { } p ? $" (parent {p.ToString(CultureInfo.InvariantCulture)})" : " (first)";
        CommonOptions.Field(console, "thread", checkpoint.ThreadId);
        CommonOptions.Field(console, "checkpoint", checkpoint.Id.ToString(CultureInfo.InvariantCulture) + parent);
        CommonOptions.Field(console, "step", checkpoint.Step.ToString(CultureInfo.InvariantCulture));
        CommonOptions.Field(console, "created", CheckpointText.Time(checkpoint.CreatedAt));
        CommonOptions.Field(console, "source", CheckpointText.Source(checkpoint));
        CommonOptions.Field(console, "writers", CheckpointText.Writers(checkpoint));
        CommonOptions.Field(console, "status", CheckpointText.Status(checkpoint));
        CommonOptions.Field(console, "next", checkpoint.NextTasks.Count == 0
            ? "- (nothing planned: the thread has finished)"
            : string.Join(", ", checkpoint.NextTasks.Select(t => $"{t.Node} ({t.TaskId})")));
        CommonOptions.Field(console, "state type", checkpoint.StateType);
        foreach (var property in checkpoint.Metadata.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            CommonOptions.Field(console, "metadata", $"{property.Key} = {property.Value}");
        }

        Section(console, [.. CheckpointText.PendingInterrupts(checkpoint)], "pending interrupts (answer with a resume value)", Interrupt);
        Section(console, [.. checkpoint.PendingWrites.Where(w => w.Kind == PendingWriteKind.Interrupt).Except(CheckpointText.PendingInterrupts(checkpoint))], "answered interrupts", Interrupt);
        Section(console, [.. checkpoint.PendingWrites.Where(w => w.Kind == PendingWriteKind.Update)], "completed tasks of the next step (not run again on resume)", write =>
            CheckpointText.Update(write) ?? $"({write.Payload.Length} bytes)");
        Section(console, [.. checkpoint.PendingWrites.Where(w => w.Kind == PendingWriteKind.Error)], "failed tasks (run again on resume)", CheckpointText.Error);

        var json = CheckpointText.PrettyJson(checkpoint.State);
        console.MarkupLine(json is null
            ? $"[grey]state ({checkpoint.State.Length} bytes, not JSON: written by another serializer)[/]"
            : $"[grey]state (JSON, {checkpoint.State.Length} bytes)[/]");
        if (json is not null)
        {
            console.WriteLine(json);
        }
    }

    private static string Interrupt(PendingWrite write) =>
        CheckpointText.Interrupt(write) is { } i ? $"\"{i.Value}\" (interrupt {i.Id})" : $"({write.Payload.Length} bytes)";

    private static void Section(IAnsiConsole console, IReadOnlyList<PendingWrite> writes, string title, Func<PendingWrite, string> describe)
    {
        if (writes.Count == 0)
        {
            return;
        }

        console.MarkupLine($"[grey]{Markup.Escape(title)}[/]");
        foreach (var write in writes)
        {
            console.MarkupLine($"  [bold]{Markup.Escape(write.Node)}[/] [grey]{Markup.Escape(write.TaskId)}[/]  {Markup.Escape(describe(write))}");
        }
    }
}
