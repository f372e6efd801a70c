namespace Graph.Engine.Hosts.Tests;

/// <summary>
/// A console app made the way a new user makes one (<c>dotnet new console</c>, <c>dotnet add package</c>), with the
/// given program pasted in, restored, built and run; each step must succeed and print no assembly or package conflict.
/// </summary>
internal static class HostApp
{
    private static readonly string[] ConflictCodes = ["MSB3277", "NU1605"];

    /// <summary>How long the built app may run.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Makes, builds and runs the app; returns what the run printed.</summary>
    public static async Task<ProcessResult> BuildAndRunAsync(string name, string language, string program, params string[] packages)
    {
        var folder = PackedFeed.NewFolder(name);
        await StepAsync(folder, "new", "console", "--language", language, "--name", "App", "--output", ".", "--no-restore");
        await File.WriteAllTextAsync(Path.Combine(folder, language == "F#" ? "Program.fs" : "Program.cs"), program);
        foreach (var package in packages)
        {
            await StepAsync(folder, "add", "package", package, "--version", PackedFeed.Version);
        }

        await StepAsync(folder, "build", "-tl:off");
        var run = await DotnetProcess.RunAsync(folder, RunTimeout, "run", "--no-build");
        Assert.That(run.ExitCode, Is.Zero, run.Describe());
        return run;
    }

    private static async Task StepAsync(string folder, params string[] arguments)
    {
        var step = await DotnetProcess.RunAsync(folder, PackedFeed.BuildTimeout, arguments);
        Assert.That(step.ExitCode, Is.Zero, step.Describe());
        foreach (var code in ConflictCodes)
        {
            Assert.That(step.Output, Does.Not.Contain(code), step.Describe());
        }
    }
}
