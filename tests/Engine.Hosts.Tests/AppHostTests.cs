namespace Graph.Engine.Hosts.Tests;

/// <summary>The README's examples pasted into fresh console apps that reference the packed packages.</summary>
[Parallelizable(ParallelScope.Children)]
public class AppHostTests
{
    [Test]
    public async Task FSharpConsoleApp_ReadmeExample_BuildsWithoutConflictsAndPrintsTotal()
    {
        var run = await HostApp.BuildAndRunAsync("fsharp-app", "F#", ReadmeExamples.First("fsharp"), "Graph.Engine.FSharp");

        Assert.That(run.Output, Does.Contain("total 12"), run.Describe());
    }

    [Test]
    public async Task CSharpConsoleApp_ReadmeExample_BuildsWithoutConflictsAndPrintsTotalAndGraph()
    {
        var run = await HostApp.BuildAndRunAsync("csharp-app", "C#", ReadmeExamples.First("csharp"), "Graph.Engine");

        Assert.Multiple(() =>
        {
            Assert.That(run.Output, Does.Contain("total 30"), run.Describe());
            Assert.That(run.Output, Does.Contain("flowchart"), run.Describe());
        });
    }
}
