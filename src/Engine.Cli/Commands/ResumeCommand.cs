using System.CommandLine;
using Graph.Cli.Demo;
using Graph.Cli.Output;
using Graph.Cli.Store;
using Graph.Engine.Graphs;
using Spectre.Console;

namespace Graph.Cli.Commands;

/// <summary>
/// <c>graph resume --db F --thread T [--value V]</c>: continues a thread of the demo graph from its latest checkpoint.
/// The CLI cannot run other graphs (it does not have their node code): their threads are resumed through the API,
/// <c>CompiledGraph.ResumeAsync</c>.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context)
    {
        var db = CommonOptions.Database();
        var keyFile = CommonOptions.KeyFile();
        var thread = CommonOptions.Thread();
        var value = new Option<string>("--value")
        {
            Description = "The answer to the thread's pending interrupt (required when one is pending; 'yes' publishes).",
            HelpName = "V",
        };
        var command = new Command("resume", "Resume a thread of the demo graph from its latest checkpoint (your own graphs: CompiledGraph.ResumeAsync).")
        {
            db, thread, value, keyFile,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context, parsed.GetRequiredValue(db), parsed.GetRequiredValue(thread), parsed.GetValue(value), parsed.GetValue(keyFile), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, StoreLocation db, string thread, string? value, FileInfo? keyFile, CancellationToken cancellationToken)
    {
        await using var opened = await CheckpointStores.OpenExistingAsync(db, cancellationToken, keyFile).ConfigureAwait(false);
        var store = opened.Store;
        var latest = await store.GetAsync(thread, null, cancellationToken).ConfigureAwait(false) ?? throw CommonOptions.UnknownThread(thread, db);
        if (!string.Equals(latest.StateType, DemoGraph.StateTypeName, StringComparison.Ordinal))
        {
            throw new CliException(
                ExitCodes.Unsupported,
                $"thread '{thread}' holds '{latest.StateType}' state, not the demo graph's; the CLI only runs the demo graph. Resume your own graphs with CompiledGraph.ResumeAsync in your code ('graph state' shows where this thread stands).");
        }

        await using var runner = new DemoRunner(context.Out, store, db.Argument);
        var snapshot = await runner.Graph.GetStateAsync(thread, null, cancellationToken).ConfigureAwait(false) ?? throw CommonOptions.UnknownThread(thread, db);
        var console = context.Out;
        Resume resume;
        if (snapshot.Next.Count == 0)
        {
            // A finished thread: the engine refuses the resume (GraphThreadFinishedException) and the command reports that.
            resume = value is null ? Resume.Continue : Resume.With(value);
        }
        else if (snapshot.Interrupts.Count > 0)
        {
            var pending = snapshot.Interrupts[0];
            if (value is null)
            {
                throw new CliException(
                    ExitCodes.Usage,
                    $"thread '{thread}' waits for an answer: {pending.Node} asks \"{ValueDisplay.Of(pending.Value)}\"; pass it with --value (e.g. --value yes).");
            }

            resume = Resume.With(value);
            console.MarkupLine($"resuming thread [bold]{Markup.Escape(thread)}[/] from checkpoint {snapshot.CheckpointId} with \"{Markup.Escape(value)}\" for {Markup.Escape(pending.Id)}");
        }
        else
        {
            if (value is not null)
            {
                throw new CliException(ExitCodes.Usage, $"thread '{thread}' has no pending interrupt to answer with --value; it would continue with {string.Join(", ", snapshot.Next)}. Run again without --value.");
            }

            resume = Resume.Continue;
            console.MarkupLine($"resuming thread [bold]{Markup.Escape(thread)}[/] from checkpoint {snapshot.CheckpointId} (next: {Markup.Escape(string.Join(", ", snapshot.Next))})");
        }

        RunOutcome outcome;
        try
        {
            outcome = await runner.ResumeAsync(thread, resume, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphThreadFinishedException e)
        {
            throw new CliException(
                ExitCodes.Unsupported,
                $"thread '{e.ThreadId}' has finished (checkpoint {e.CheckpointId} plans no more tasks); there is nothing to resume. "
                + $"Start a new run with 'graph demo'; 'graph state --db {db.Argument} --thread {e.ThreadId}' shows its final state.");
        }

        console.WriteLine();
        runner.WriteResult(outcome, thread);
        return ExitCodes.Ok;
    }
}
