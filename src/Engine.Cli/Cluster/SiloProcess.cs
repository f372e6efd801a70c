using System.Diagnostics;
using System.Threading.Channels;

namespace Graph.Cli.Cluster;

/// <summary>A <c>graph cluster-silo</c> child process: started, read line by line, and stopped or killed.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task pump;

    private SiloProcess(Process process)
    {
        this.process = process;
        pump = PumpAsync();
    }

    /// <summary>Completes with the silo's address once it is active in the cluster; faults if the process exits first.</summary>
    public Task<string> Ready => ready.Task;

    /// <summary>The "HOLD thread node" lines and others the silo prints after READY.</summary>
    public ChannelReader<string> Lines => lines.Reader;

    public int Id => process.Id;

    /// <summary>Starts this same program (the graph command) as <c>cluster-silo</c> with <paramref name="args"/>.</summary>
    public static SiloProcess Start(IEnumerable<string> args, string? program = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = program ?? typeof(SiloProcess).Assembly.Location;
        if (self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(self);
        }
        else
        {
            info.FileName = self;
        }

        info.ArgumentList.Add("cluster-silo");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new SiloProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{info.FileName}'."));
    }

    /// <summary>Kills the process at once (SIGKILL on Unix): no shutdown, no goodbye to the cluster.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close(); // asks the silo to stop
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await pump.ConfigureAwait(false);
        process.Dispose();
    }

    private async Task PumpAsync()
    {
        var errors = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                ready.TrySetResult(line["READY ".Length..]);
            }
            else
            {
                lines.Writer.TryWrite(line);
            }
        }

        lines.Writer.TryComplete();
        var error = (await errors.ConfigureAwait(false)).Trim();
        var firstLine = error.Split('\n', 2)[0];
        ready.TrySetException(new InvalidOperationException($"The silo process exited before it was ready: {firstLine[..Math.Min(firstLine.Length, 400)]}"));
    }
}
