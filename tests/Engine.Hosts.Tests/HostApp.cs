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
        var build = await BuildAsync(name, language, program, packages);
        var run = await DotnetProcess.RunAsync(build.WorkingDirectory, RunTimeout, "run", "--no-build");
        Assert.That(run.ExitCode, Is.Zero, run.Describe());
        return run;
    }

    /// <summary>Makes and builds the app; returns what the build printed (its warnings among it).</summary>
    public static async Task<ProcessResult> BuildAsync(string name, string language, string program, params string[] packages)
    {
        var folder = PackedFeed.NewFolder(name);
        await StepAsync(folder, "new", "console", "--language", language, "--name", "App", "--output", ".", "--no-restore");
        await File.WriteAllTextAsync(Path.Combine(folder, language == "F#" ? "Program.fs" : "Program.cs"), program);
        foreach (var package in packages)
        {
            await StepAsync(folder, "add", "package", package, "--version", PackedFeed.Version);
        }

        return await StepAsync(folder, "build", "-tl:off");
    }

    private static async Task<ProcessResult> StepAsync(string folder, params string[] arguments)
    {
        var step = await DotnetProcess.RunAsync(folder, PackedFeed.BuildTimeout, arguments);
        Assert.That(step.ExitCode, Is.Zero, step.Describe());
        foreach (var code in ConflictCodes)
        {
            Assert.That(step.Output, Does.Not.Contain(code), step.Describe());
        }

        return step;
    }
}
