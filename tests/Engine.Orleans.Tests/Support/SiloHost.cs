using System.Diagnostics;

namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>A standalone silo process (<c>graph cluster-silo</c>): its READY address and the lines it prints after.</summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task pump;
    private readonly Task<string> errors;

    private SiloHost(Process process)
    {
        this.process = process;
        errors = process.StandardError.ReadToEndAsync();
        pump = PumpAsync();
    }

    /// <summary>The silo's address, once it is active.</summary>
    public Task<string> Ready => ready.Task;

    /// <summary>The first "HOLD thread node" line: a run is inside the held node on this silo.</summary>
    public Task<string> Held => held.Task;

    public static SiloHost Start(params string[] args)
    {
        // tests/Engine.Orleans.Tests/bin/<Configuration>/<tfm>/ -> src/Engine.Cli/bin/<Configuration>/<tfm>/graph.dll
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = baseDir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var graph = Path.Combine(root, "src", "Engine.Cli", "bin", baseDir.Parent.Name, baseDir.Name, "graph.dll");
        Assert.That(File.Exists(graph), Is.True, $"the graph command is not built: {graph}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(graph);
        info.ArgumentList.Add("cluster-silo");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new SiloHost(Process.Start(info)!);
    }

    /// <summary>SIGKILL: the silo gets no chance to leave the cluster or finish anything.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        await pump;
        process.Dispose();
    }

    private async Task PumpAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                ready.TrySetResult(line["READY ".Length..]);
            }
            else if (line.StartsWith("HOLD ", StringComparison.Ordinal))
            {
                held.TrySetResult(line["HOLD ".Length..]);
            }
        }

        var error = await errors;
        var failure = new InvalidOperationException($"the silo process exited: {error[..Math.Min(error.Length, 600)]}");
        ready.TrySetException(failure);
        held.TrySetException(failure);
    }
}
