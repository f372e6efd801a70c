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
    public async Task FSharpConsoleApp_TestingKit_RunsAGraphDeterministicallyOutsideATestRunner()
    {
        // The F# face of the testing kit brings Graph.Engine.Testing and NUnit beside the bindings without a conflict.
        var run = await HostApp.BuildAndRunAsync("fsharp-testing-app", "F#", FSharpTestingProgram, "Graph.Engine.FSharp.Testing");

        Assert.That(run.Output, Does.Contain("finished with 12 after 30s"), run.Describe());
    }

    private const string FSharpTestingProgram = """
        open System
        open System.Threading.Tasks
        open Graph.Engine.FSharp
        open Graph.Engine.FSharp.Testing
        open Graph.Engine.Testing

        let clock = SimulatedClock()
        let doubling =
            stateGraph {
                reducer (fun (s: int) (u: int) -> s + u)
                node "plan" (Node.func (fun _ -> 0))
                node "double" (Node.workerTask (fun (x: int) -> task {
                    do! Task.Delay(TimeSpan.FromSeconds 30.0, clock)
                    return x * 2 }))
                edge START "plan"
                route "plan" [ "double" ] (fun _ -> Next.send "double" [ 1..3 ])
                edge "double" END
            }

        use test = doubling |> GraphTest.createWith { Seed = 3; Clock = Some clock }
        let run = test |> GraphTest.run 0 |> RunRecord.shouldRunSteps [ "plan"; "double, double, double" ]
        printfn "finished with %d after %.0fs" (RunRecord.state run) clock.Elapsed.TotalSeconds
        """;

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
