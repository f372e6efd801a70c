namespace Graph.Engine.Hosts.Tests;

/// <summary>The README's examples pasted into fresh console apps that reference the packed packages.</summary>
[Parallelizable(ParallelScope.Children)]
public class AppHostTests
{
    private static readonly string[] NativeSqliteNames = ["libe_sqlite3.so", "libe_sqlite3.dylib", "e_sqlite3.dll"];

    [Test]
    public async Task FSharpConsoleApp_ReadmeExample_BuildsWithoutConflictsAndPrintsTotal()
    {
        var run = await HostApp.BuildAndRunAsync("fsharp-app", "F#", ReadmeExamples.First("fsharp"), "Graph.Engine.FSharp");

        Assert.That(run.Output, Does.Contain("total 12"), run.Describe());
    }

    [Test]
    public async Task CSharpConsoleApp_ReadmeExample_BuildsWithoutConflictsAndPrintsTotalAndGraph()
    {
        // The SQLite and OpenTelemetry packages too: their dependencies (Microsoft.Data.Sqlite and its native library,
        // the OpenTelemetry SDK) must restore and build beside the engine without a version conflict.
        var run = await HostApp.BuildAndRunAsync("csharp-app", "C#", ReadmeExamples.First("csharp"),
            "Graph.Engine", "Graph.Engine.Sqlite", "Graph.Engine.OpenTelemetry");

        Assert.Multiple(() =>
        {
            Assert.That(run.Output, Does.Contain("total 30"), run.Describe());
            Assert.That(run.Output, Does.Contain("flowchart"), run.Describe());
            Assert.That(NativeSqliteFiles(run.WorkingDirectory), Is.Not.Empty, "the native SQLite library is in the app's output");
        });
    }

    private static IEnumerable<string> NativeSqliteFiles(string app) =>
        Directory.EnumerateFiles(Path.Combine(app, "bin"), "*", SearchOption.AllDirectories)
            .Where(file => NativeSqliteNames.Contains(Path.GetFileName(file)));
}
