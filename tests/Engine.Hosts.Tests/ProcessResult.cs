namespace Graph.Engine.Hosts.Tests;

/// <summary>A finished process: its command line, exit code and interleaved standard output and error.</summary>
internal sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output)
{
    /// <summary>Everything needed to understand a failure: the command, where it ran, the exit code and all output.</summary>
    public string Describe() => $"`{CommandLine}` in {WorkingDirectory} exited {ExitCode}; output:\n{Output}";
}
