using System.CommandLine;
using System.Globalization;
using Graph.Cli.Demo;
using Graph.Cli.Store;
using Graph.Engine.Graphs;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph demo [--db FILE] [--thread T] [--answer V] [--no-resume]</c>: runs the showcase graph end to end on
/// SQLite: a <c>Send</c> fan-out, a parallel step and a join, a flaky node that recovers through its retry policy,
/// and a human-in-the-loop interrupt that the demo answers itself (no prompt: it must run unattended in CI).
/// </summary>
internal static class DemoCommand
{
    public const string DefaultDatabase = "graph-demo.db";

    public static Command Create(CliContext context)
    {
        var db = new Option<FileInfo>("--db")
        {
            Description = $"The SQLite checkpoint database to write (created if missing; default ./{DefaultDatabase}).",
            HelpName = "FILE",
            DefaultValueFactory = _ => new FileInfo(DefaultDatabase),
        };
        var thread = new Option<string>("--thread") { Description = "The thread id (default: demo-<time>-<random>).", HelpName = "T" };
        var answer = new Option<string>("--answer")
        {
            Description = "The answer the demo gives to the review interrupt (yes publishes; anything else discards).",
            HelpName = "V",
            DefaultValueFactory = _ => "yes",
        };
        var noResume = new Option<bool>("--no-resume")
        {
            Description = "Stop at the interrupt instead of answering it; finish later with 'graph resume'.",
        };
        var keyFile = CommonOptions.KeyFile();
        var command = new Command("demo", "Run the showcase graph (Send fan-out, join, a flaky node that recovers, an interrupt) with SQLite checkpoints.")
        {
            db, thread, answer, noResume, keyFile,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context,
            parsed.GetRequiredValue(db),
            parsed.GetValue(thread),
            parsed.GetRequiredValue(answer),
            parsed.GetValue(noResume),
            parsed.GetValue(keyFile),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo db, string? thread, string answer, bool noResume, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        if (thread is { Length: 0 } || (thread is not null && string.IsNullOrWhiteSpace(thread)))
        {
            throw new CliException(ExitCodes.Usage, "--thread must not be empty.");
        }

        var threadId = thread ?? string.Create(CultureInfo.InvariantCulture, $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}");
        var console = context.Out;
        var keys = keyFile is null ? null : KeyFile.Read(keyFile);
        await using var file = CheckpointFile.OpenOrCreate(db);
        var store = CheckpointStores.Protect(file, keys);
        if (thread is not null && await store.GetAsync(threadId, null, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new CliException(ExitCodes.Usage, $"thread '{threadId}' already exists in '{file.Path}'; pick another --thread, or continue it with 'graph resume'.");
        }

        await using var runner = new DemoRunner(console, store, CommonOptions.Quote(file.Path));
        console.Write(new Rule("[bold]graph demo[/]").LeftJustified());
        console.MarkupLine($"A word count over {DemoGraph.Corpus.Count} documents: [bold]plan[/] sends one [bold]count[/] task per document (map), "
            + "[bold]total[/] and the flaky [bold]lookup[/] run in parallel (reduce), a join waits for both, "
            + "[bold]review[/] interrupts for a human answer, then [bold]publish[/] or [bold]discard[/].");
        CommonOptions.Field(console, "database", file.Path);
        CommonOptions.Field(console, "thread", threadId);
        console.WriteLine();

        var outcome = await runner.StartAsync(threadId, cancellationToken).ConfigureAwait(false);
        while (outcome.IsInterrupted && !noResume)
        {
            var interrupt = outcome.Interrupts[0];
            console.MarkupLine($"[yellow]answering \"{Markup.Escape(answer)}\" automatically[/] (no prompt, so the demo runs unattended; "
                + "--answer V gives another answer, --no-resume stops here for 'graph resume')");
            console.MarkupLine($"resuming thread [bold]{Markup.Escape(threadId)}[/] from checkpoint {outcome.InterruptedAt} with \"{Markup.Escape(answer)}\" for {Markup.Escape(interrupt.Id)}");
            outcome = await runner.ResumeAsync(threadId, Resume.With(answer), cancellationToken).ConfigureAwait(false);
        }

        console.WriteLine();
        runner.WriteResult(outcome, threadId);

        console.WriteLine();
        console.Write(new Rule("[bold]graph (Mermaid)[/]").LeftJustified());
        console.WriteLine(runner.Graph.ToMermaid().TrimEnd());

        console.WriteLine();
        console.Write(new Rule("[bold]checkpoints[/]").LeftJustified());
        CommonOptions.Field(console, "thread", threadId);
        CommonOptions.Field(console, "database", file.Path);
        var db2 = CommonOptions.Quote(file.Path) + (keyFile is null ? string.Empty : " --key-file " + CommonOptions.Quote(keyFile.FullName));
        console.MarkupLine("[grey]inspect them with (from the repository: dotnet run --project src/Engine.Cli -- <command>):[/]");
        console.WriteLine($"  graph threads --db {db2}");
        console.WriteLine($"  graph history --db {db2} --thread {threadId}");
        console.WriteLine($"  graph state   --db {db2} --thread {threadId}");
        if (outcome.IsInterrupted)
        {
            console.WriteLine($"  graph resume  --db {db2} --thread {threadId} --value yes");
        }

        return ExitCodes.Ok;
    }
}
