using System.CommandLine;
using Graph.Cli.Commands;
using Graph.Engine.Checkpoints;
using Spectre.Console;

namespace Graph.Cli;

/// <summary>Entry point of the <c>graph</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line against the process console.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code, one of <see cref="ExitCodes"/>.</returns>
    public static Task<int> Main(string[] args)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Logs and files get plain text: no escape codes, no live progress, tables on one line each.
            console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(Console.Out),
            });
            console.Profile.Width = 200;
        }

        return RunAsync(args, console, Console.Error);
    }

    /// <summary>Parses and runs a command line; never throws and never prints a stack trace.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="console">Where normal output (help, tables, progress) goes.</param>
    /// <param name="error">Where the one-line error message goes (stderr in the real command).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code, one of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(console, error);
        try
        {
            var root = CreateRootCommand(context);
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                await error.WriteLineAsync($"graph: {OneLine(UsageError.Describe(parsed, args))}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var invocation = new InvocationConfiguration
            {
                Output = console.Profile.Out.Writer,
                Error = error,
                EnableDefaultExceptionHandler = false,
            };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync($"graph: {OneLine(e.Message)}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (CheckpointStoreException e)
        {
            await error.WriteLineAsync($"graph: {OneLine(e.Message)}").ConfigureAwait(false);
            return ExitCodes.StoreError;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("graph: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // the top-level handler: any failure becomes one line and an exit code, never a stack trace
        catch (Exception e)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"graph: unexpected error: {e.GetType().Name}: {OneLine(e.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    internal static RootCommand CreateRootCommand(CliContext context) => new("graph: run, inspect and benchmark Graph state graphs")
    {
        BenchCommand.Create(context),
        DemoCommand.Create(context),
        ThreadsCommand.Create(context),
        HistoryCommand.Create(context),
        StateCommand.Create(context),
        ResumeCommand.Create(context),
        PruneCommand.Create(context),
        CompactCommand.Create(context),
        Cluster.ClusterDemoCommand.Create(context),
        Cluster.ClusterSiloCommand.Create(context),
    };

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
