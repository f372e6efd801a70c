using Spectre.Console;

namespace Graph.Cli.Tests;

/// <summary>Runs the <c>graph</c> command in process, capturing stdout (through Spectre) and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(terminal: false, args);

    /// <summary>Runs with a 250-column console that claims to be an interactive ANSI terminal (live progress) when <paramref name="terminal"/> is set.</summary>
    public static Task<CliRun> RunAsync(bool terminal, params string[] args) => RunAsync(terminal, 250, args);

    /// <summary>Runs with a console of <paramref name="width"/> columns, an interactive ANSI terminal when <paramref name="terminal"/> is set.</summary>
    public static async Task<CliRun> RunAsync(bool terminal, int width, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = width;
        using var cancellation = new CancellationTokenSource(Timeout);
        var exitCode = await Program.RunAsync(args, console, stderr, cancellation.Token).WaitAsync(Timeout);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The non-empty lines of stderr.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
