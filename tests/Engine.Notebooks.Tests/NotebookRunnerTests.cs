using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>Proves the runner against fixture notebooks: good ones pass, broken ones fail at the right cell.</summary>
public class NotebookRunnerTests
{
    [Test]
    public async Task RunAsync_GoodFixture_RunsEveryCodeCellAndCarriesStatePerLanguage()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("good.ipynb"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cell(1).Status, Is.EqualTo(CellStatus.Skipped), "markdown");
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.Skipped), "build cell");
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(4).Output, Is.EqualTo($"42{Environment.NewLine}Graph.Engine{Environment.NewLine}"), "C# state and #r of Graph.Engine.dll");
            Assert.That(result.Cell(5).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(6).Output.Trim(), Is.EqualTo("hello from Graph.Engine"), "F# state and #r of the F# bindings");
            Assert.That(result.Cell(7).Status, Is.EqualTo(CellStatus.Skipped), "mermaid");
            Assert.That(result.Cell(8).Output.Trim(), Is.EqualTo("answer=42"), "a #!csharp magic line and state across a gap");
        }
    }

    [Test]
    public async Task RunAsync_CSharpCompileError_ReportsCellAndDiagnosticAndStops()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-csharp-compile.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        var failure = result.Failures[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.CellNumber, Is.EqualTo(4));
            Assert.That(failure.ToString(), Does.StartWith("notebook broken-csharp-compile.ipynb, cell 4 (csharp): (1,21): error CS0103"));
            Assert.That(failure.Error, Does.Contain("The name 'undefinedName' does not exist in the current context"));
            Assert.That(result.Cell(5).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_CSharpRuntimeException_ReportsCellAndExceptionAndStops()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-csharp-runtime.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures[0].ToString(), Is.EqualTo("notebook broken-csharp-runtime.ipynb, cell 3 (csharp): System.InvalidOperationException: boom from cell three"));
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(4).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_FSharpCompileError_ReportsCellAndCellRelativeDiagnostic()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-fsharp-compile.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        var failure = result.Failures[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.CellNumber, Is.EqualTo(4));
            Assert.That(failure.ToString(), Does.StartWith("notebook broken-fsharp-compile.ipynb, cell 4 (fsharp): (1,20): error FS0001:"));
            Assert.That(failure.Error, Does.Contain("expected to have type").And.Contain("'int'").And.Contain("'string'"));
            Assert.That(result.Cell(5).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_FSharpRuntimeException_ReportsCellAndExceptionAndKeepsEarlierOutput()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-fsharp-runtime.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures[0].ToString(), Is.EqualTo("notebook broken-fsharp-runtime.ipynb, cell 3 (fsharp): System.InvalidOperationException: boom from cell three"));
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.Failed));
            Assert.That(result.Cell(4).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_CSharpCellNeverCompletes_FailsWithTimeoutMessage()
    {
        var notebook = InlineNotebook(("markdown", "A cell that never completes:"), ("csharp", "await new TaskCompletionSource().Task;"));
        var runner = new NotebookRunner(new NotebookRunnerOptions { CSharpCellTimeout = TimeSpan.FromSeconds(1) });

        var result = await runner.RunAsync(notebook);

        Assert.That(result.Describe(), Is.EqualTo("notebook inline.ipynb, cell 2 (csharp): did not finish within 1 s (C# cell timeout)"));
    }

    [Test]
    public async Task RunAsync_FSharpProcessNeverCompletes_KillsFsiAndFailsWithTimeoutMessage()
    {
        var notebook = InlineNotebook(("fsharp", "System.Threading.Tasks.TaskCompletionSource<int>().Task.Result |> ignore"));
        var runner = new NotebookRunner(new NotebookRunnerOptions { FSharpProcessTimeout = TimeSpan.FromSeconds(4) });

        var result = await runner.RunAsync(notebook);

        Assert.That(result.Describe(), Is.EqualTo("notebook inline.ipynb, cell 1 (fsharp): dotnet fsi did not finish within 4 s and was killed"));
    }

    [Test]
    public async Task RunAsync_CSharpCellWithoutReference_CannotSeeTheEngine()
    {
        var result = await new NotebookRunner().RunAsync(InlineNotebook(("csharp", "Graph.Engine.EngineInfo.Name")));

        Assert.That(result.Describe(), Does.Contain("cell 1 (csharp)").And.Contain("error CS0103: The name 'Graph' does not exist"), "only #r brings the engine into a C# cell, never the test's own references");
    }

    [Test]
    public async Task RunAsync_ReferenceToMissingDll_FailsNamingThePath()
    {
        var result = await new NotebookRunner().RunAsync(InlineNotebook(("csharp", "#r \"../no/such/Library.dll\"")));

        Assert.That(result.Describe(), Does.Contain("cell 1 (csharp)").And.Contain("Library.dll"));
    }

    [Test]
    public async Task RunAsync_NugetReference_FailsClearlyWithoutRunning()
    {
        var notebook = InlineNotebook(("csharp", "#r \"nuget: Newtonsoft.Json, 13.0.3\""), ("fsharp", "#r \"nuget: FSharp.Data\""));

        var result = await new NotebookRunner().RunAsync(notebook);

        Assert.That(result.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "notebook inline.ipynb, cell 1 (csharp): '#r \"nuget: Newtonsoft.Json, 13.0.3\"' is not supported: the notebook test runs offline; reference a built DLL by relative path instead",
            "notebook inline.ipynb, cell 2 (fsharp): '#r \"nuget: FSharp.Data\"' is not supported: the notebook test runs offline; reference a built DLL by relative path instead",
        }));
    }

    [TestCase("flowchart TD\n  a --> b", true)]
    [TestCase("%% a comment\ngraph LR\n  a --> b", true)]
    [TestCase("---\ntitle: Lifecycle\n---\nstateDiagram-v2\n  [*] --> A", true)]
    [TestCase("sequenceDiagram\n  A->>B: hi", true)]
    [TestCase("", false)]
    [TestCase("a --> b", false)]
    public async Task RunAsync_MermaidCell_ChecksFormWithoutRendering(string diagram, bool valid)
    {
        var result = await new NotebookRunner().RunAsync(InlineNotebook(("mermaid", diagram)));

        Assert.That(result.Succeeded, Is.EqualTo(valid), result.Describe());
    }

    [Test]
    public async Task RunAsync_PwshCellThatIsNotABuild_FailsClearly()
    {
        var result = await new NotebookRunner().RunAsync(InlineNotebook(("pwsh", "dotnet build ../Graph.sln\nRemove-Item -Recurse bin")));

        Assert.That(result.Describe(), Does.StartWith("notebook inline.ipynb, cell 1 (pwsh): only the build cell may be pwsh"));
    }

    [Test]
    public async Task RunAsync_UnsupportedKernelOrMagic_FailsClearly()
    {
        var result = await new NotebookRunner().RunAsync(InlineNotebook(("javascript", "console.log(1)"), ("csharp", "#!time\nvar x = 1;")));

        Assert.That(result.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "notebook inline.ipynb, cell 1 (javascript): kernel 'javascript' is not supported by the notebook runner (csharp, fsharp, mermaid, markdown and the pwsh build cell are)",
            "notebook inline.ipynb, cell 2 (csharp): magic command '#!time' is not supported by the notebook runner (only a leading kernel selector such as #!csharp is)",
        }));
    }

    [Test]
    public void MapBuildConfiguration_Release_RewritesOnlyTheBinDebugSegment()
    {
        var options = new NotebookRunnerOptions { Configuration = "Release" };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.MapBuildConfiguration("../src/Engine.CSharp/bin/Debug/net10.0/Graph.Engine.dll"), Is.EqualTo("../src/Engine.CSharp/bin/Release/net10.0/Graph.Engine.dll"));
            Assert.That(options.MapBuildConfiguration(@"..\src\Debug\bin\Debug\net10.0\x.dll"), Is.EqualTo(@"..\src\Debug\bin\Release\net10.0\x.dll"));
            Assert.That(new NotebookRunnerOptions { Configuration = "Debug" }.MapBuildConfiguration("bin/Debug/x.dll"), Is.EqualTo("bin/Debug/x.dll"));
        }
    }

    /// <summary>A notebook held in memory, placed (virtually) in the fixtures folder.</summary>
    internal static Notebook InlineNotebook(params (string Kernel, string Source)[] cells)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            cells = cells.Select(c => new
            {
                cell_type = "code",
                execution_count = (int?)null,
                metadata = new { polyglot_notebook = new { kernelName = c.Kernel } },
                outputs = Array.Empty<object>(),
                source = c.Source,
            }),
            metadata = new { kernelspec = new { name = ".net-csharp" } },
            nbformat = 4,
            nbformat_minor = 2,
        });
        return NotebookParser.Parse(json, RepoLayout.Fixture("inline.ipynb"));
    }
}
