using System.Diagnostics;

namespace Graph.Engine.Notebooks.Tests.Kernel;

/// <summary>
/// The <c>dotnet-interactive</c> tool named in the repository's tool manifest (<c>.config/dotnet-tools.json</c>),
/// restored once per test run so the tests work on a fresh machine.
/// </summary>
internal static class KernelTool
{
    private static readonly Lazy<Task> Restore = new(() => RestoreAsync(TimeSpan.FromMinutes(3)));

    /// <summary>Runs <c>dotnet tool restore</c> from the repository root, once; later calls share the first result.</summary>
    /// <exception cref="InvalidOperationException">The restore failed or timed out; the message holds its output.</exception>
    public static Task EnsureRestoredAsync() => Restore.Value;

    /// <summary>The <c>dotnet</c> host: the one running the tests when the CLI exported it, else from PATH.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Environment every tool process gets: no telemetry banner, no first-run experience.</summary>
    public static void Configure(ProcessStartInfo start)
    {
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
    }

    private static async Task RestoreAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Dotnet, ["tool", "restore"])
        {
            WorkingDirectory = RepoLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Configure(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet tool restore'");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'dotnet tool restore' in {RepoLayout.Root} did not finish within {timeout.TotalSeconds:0} s and was killed");
        }

        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet tool restore' in {RepoLayout.Root} failed with exit code {process.ExitCode}:{Environment.NewLine}{output}");
        }
    }
}
