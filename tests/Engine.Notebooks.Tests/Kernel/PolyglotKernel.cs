using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Graph.Engine.Notebooks.Tests.Kernel;

/// <summary>
/// One real Polyglot Notebooks kernel: <c>dotnet tool run dotnet-interactive -- [vscode] stdio</c>, started the
/// way the VS Code extension starts it, driven through its stdio protocol (one JSON envelope per line:
/// commands in on standard input, events out on standard output).
/// </summary>
/// <remarks>
/// One command is in flight at a time. Events carry the token of the command they belong to; commands the
/// kernel issues on a cell's behalf (a nested <c>#r</c>, the kernel's own setup) carry that token plus a
/// suffix (<c>cell-3.1</c>), so they count towards the cell. Disposing kills the process tree.
/// </remarks>
public sealed class PolyglotKernel : IAsyncDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder standardError = new();
    private readonly Lock gate = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private PendingCommand? pending;
    private string? exitMessage;
    private int commandCount;

    private PolyglotKernel(Process process)
    {
        this.process = process;
        stdoutPump = Task.Run(ReadEventsAsync);
        stderrPump = Task.Run(ReadStandardErrorAsync);
    }

    /// <summary>
    /// Restores the tool if needed, starts a kernel whose working directory is <paramref name="workingDirectory"/>
    /// (relative <c>#r</c> paths resolve against it) and waits for its <c>KernelReady</c> event.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tool could not be restored, or the kernel did not get ready in time.</exception>
    public static async Task<PolyglotKernel> StartAsync(string workingDirectory, TimeSpan timeout)
    {
        await KernelTool.EnsureRestoredAsync().ConfigureAwait(false);
        var start = new ProcessStartInfo(KernelTool.Dotnet, ["tool", "run", "dotnet-interactive", "--", "[vscode]", "stdio", "--working-dir", workingDirectory])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        KernelTool.Configure(start);
        var kernel = new PolyglotKernel(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet-interactive"));
        try
        {
            await kernel.ready.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var error = kernel.StandardErrorText();
            await kernel.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"dotnet-interactive did not report KernelReady within {timeout.TotalSeconds:0} s{error}");
        }
        catch (InvalidOperationException)
        {
            await kernel.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return kernel;
    }

    /// <summary>
    /// Sends <paramref name="code"/> to the subkernel <paramref name="kernelName"/> (<c>csharp</c>, <c>fsharp</c>,
    /// <c>mermaid</c>, <c>pwsh</c>...) and waits for the command to succeed or fail.
    /// </summary>
    /// <returns>The outcome; a timeout or a kernel that exits counts as a failure, and the kernel is then unusable.</returns>
    public async Task<KernelSubmission> SubmitCodeAsync(string kernelName, string code, TimeSpan timeout)
    {
        var token = "cell-" + Interlocked.Increment(ref commandCount).ToString(CultureInfo.InvariantCulture);
        var command = new PendingCommand(token);
        lock (gate)
        {
            if (pending is not null)
            {
                throw new InvalidOperationException($"command {pending.Token} is still running; the kernel runs one cell at a time");
            }

            if (exitMessage is not null)
            {
                return new KernelSubmission(false, exitMessage, string.Empty);
            }

            pending = command;
        }

        var envelope = JsonSerializer.Serialize(new
        {
            token,
            commandType = "SubmitCode",
            command = new { code, targetKernelName = kernelName },
        });
        try
        {
            await process.StandardInput.WriteLineAsync(envelope).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
            return await command.Completion.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new KernelSubmission(false, $"did not finish within {timeout.TotalSeconds:0} s (cell timeout)", command.Output);
        }
        catch (IOException ex)
        {
            return new KernelSubmission(false, $"could not send the cell to the kernel: {ex.Message}{StandardErrorText()}", command.Output);
        }
        finally
        {
            lock (gate)
            {
                pending = null;
            }
        }
    }

    /// <summary>Kills the kernel and every process it started, and waits (bounded) for them to go.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await Task.WhenAll(stdoutPump, stderrPump).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The process is already gone.
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"the kernel process {process.Id} did not exit within 30 s of being killed", ex);
        }
        finally
        {
            process.Dispose();
        }
    }

    private async Task ReadEventsAsync()
    {
        while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            // The tool prints a welcome banner before the protocol starts; only JSON lines are envelopes.
            if (line.StartsWith('{'))
            {
                Dispatch(line);
            }
        }

        var message = "the kernel process exited" + StandardErrorText();
        ready.TrySetException(new InvalidOperationException(message));
        PendingCommand? orphan;
        lock (gate)
        {
            exitMessage = message;
            orphan = pending;
        }

        orphan?.Complete(succeeded: false, message);
    }

    private void Dispatch(string line)
    {
        JsonDocument envelope;
        try
        {
            envelope = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            // Not an envelope: a stray line of tool output that happens to start with '{'.
            return;
        }

        using var owned = envelope;
        var root = envelope.RootElement;
        var eventType = root.TryGetProperty("eventType", out var type) ? type.GetString() : null;
        if (eventType == "KernelReady")
        {
            ready.TrySetResult();
            return;
        }

        if (eventType is null ||
            !root.TryGetProperty("command", out var command) || command.ValueKind != JsonValueKind.Object ||
            !command.TryGetProperty("token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String ||
            tokenElement.GetString() is not { } token ||
            !root.TryGetProperty("event", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        PendingCommand? target;
        lock (gate)
        {
            target = pending;
        }

        if (target is not null && (token == target.Token || token.StartsWith(target.Token + ".", StringComparison.Ordinal)))
        {
            target.Handle(eventType, body, isRoot: token == target.Token);
        }
    }

    private async Task ReadStandardErrorAsync()
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (standardError)
            {
                if (standardError.Length < 8_000)
                {
                    standardError.AppendLine(line);
                }
            }
        }
    }

    private string StandardErrorText()
    {
        lock (standardError)
        {
            return standardError.Length == 0 ? string.Empty : $"; kernel stderr:{Environment.NewLine}{standardError}";
        }
    }
}
