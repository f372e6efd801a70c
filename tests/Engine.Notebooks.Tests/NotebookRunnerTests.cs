using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>
/// Proves the runner against fixture notebooks in the real kernel: the good one passes, broken ones fail at the
/// right cell with the kernel's error text, and the run stops there.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class NotebookRunnerTests
{
    [Test]
    public async Task RunAsync_GoodFixture_RunsEveryKindOfCellInOneKernel()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("good.ipynb"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Cell(1).Status, Is.EqualTo(CellStatus.Skipped), "markdown");
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.Skipped), "build cell");
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(4).Output, Does.Contain("engine Graph.Engine"), "C# state and #r of Graph.Engine.dll");
            Assert.That(result.Cell(4).Output.Split('\n').Count(l => l.Contains("42", StringComparison.Ordinal)), Is.EqualTo(2), "display(answer) and the trailing expression: " + result.Cell(4).Output);
            Assert.That(result.Cell(6).Output, Does.Contain("hello from Graph.Engine"), "F# state and #r of the F# bindings");
            Assert.That(result.Cell(7).Output, Does.Contain("stateDiagram-v2"), "the mermaid kernel rendered the diagram");
            Assert.That(result.Cell(8).Output, Does.Contain("answer=42"), "a #!csharp magic line and state across a gap");
            Assert.That(result.Cell(9).Output, Does.Contain("pwsh in Fixtures"), "pwsh runs in the notebook's folder");
        }
    }

    [Test]
    public async Task RunAsync_CSharpCompileError_ReportsCellAndDiagnosticAndStops()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-csharp-compile.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures[0].ToString(), Does.StartWith("notebook broken-csharp-compile.ipynb, cell 4 (csharp): (1,21): error CS0103"));
            Assert.That(result.Failures[0].Error, Does.Contain("The name 'undefinedName' does not exist in the current context"));
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.Ran));
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
            Assert.That(result.Failures[0].ToString(), Does.StartWith("notebook broken-csharp-runtime.ipynb, cell 3 (csharp): System.InvalidOperationException: boom from cell three"));
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.Ran));
            Assert.That(result.Cell(4).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_FSharpCompileError_ReportsCellAndDiagnosticAndStops()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-fsharp-compile.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures[0].ToString(), Does.StartWith("notebook broken-fsharp-compile.ipynb, cell 4 (fsharp): input.fsx (1,20)"));
            Assert.That(result.Failures[0].Error, Does.Contain("expected to have type").And.Contain("'int'").And.Contain("'string'"));
            Assert.That(result.Cell(3).Output, Does.Contain("cell three ran"));
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
            Assert.That(result.Failures[0].ToString(), Does.StartWith("notebook broken-fsharp-runtime.ipynb, cell 3 (fsharp): System.InvalidOperationException: boom from cell three"));
            Assert.That(result.Cell(3).Output, Does.Contain("before"));
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.Failed));
            Assert.That(result.Cell(4).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_MermaidCellThatIsNotADiagram_FailsBeforeTheKernelAndStops()
    {
        var result = await new NotebookRunner().RunAsync(RepoLayout.Fixture("broken-mermaid.ipynb"));

        Assert.That(result.Failures, Has.Count.EqualTo(1), result.Describe());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures[0].ToString(), Is.EqualTo("notebook broken-mermaid.ipynb, cell 2 (mermaid): Mermaid cell does not start with a diagram keyword (graph, flowchart, sequenceDiagram, stateDiagram, ...): 'A --> B'"));
            Assert.That(result.Cell(3).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_CellNeverCompletes_FailsWithTimeoutMessageAndKillsTheKernel()
    {
        var notebook = InlineNotebook(("csharp", "await new TaskCompletionSource().Task;"), ("csharp", "var never = 1;"));
        var runner = new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromSeconds(5) });

        var result = await runner.RunAsync(notebook);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Describe(), Does.StartWith("notebook inline.ipynb, cell 1 (csharp): did not finish within 5 s (cell timeout)"));
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_KernelProcessExits_FailsTheCellWithoutWaitingForTheTimeout()
    {
        var notebook = InlineNotebook(("csharp", "System.Environment.Exit(3);"), ("csharp", "var never = 1;"));
        var runner = new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromMinutes(10) });

        var result = await runner.RunAsync(notebook).WaitAsync(TimeSpan.FromMinutes(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Describe(), Does.StartWith("notebook inline.ipynb, cell 1 (csharp): the kernel process exited"));
            Assert.That(result.Cell(2).Status, Is.EqualTo(CellStatus.NotRun));
        }
    }

    [Test]
    public async Task RunAsync_NugetReferenceOrUnsupportedKernel_FailsClearlyWithoutAKernel()
    {
        var nuget = await new NotebookRunner().RunAsync(InlineNotebook(("fsharp", "#r \"nuget: FSharp.Data\"")));
        var javascript = await new NotebookRunner().RunAsync(InlineNotebook(("javascript", "console.log(1)")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nuget.Describe(), Is.EqualTo("notebook inline.ipynb, cell 1 (fsharp): '#r \"nuget: FSharp.Data\"' is not supported: the notebook test runs offline; reference a built DLL by relative path instead"));
            Assert.That(javascript.Describe(), Is.EqualTo("notebook inline.ipynb, cell 1 (javascript): kernel 'javascript' is not run by the notebook test (csharp, fsharp, mermaid and pwsh are; markdown and raw cells are skipped)"));
        }
    }

    [TestCase("flowchart TD\n  a --> b", true)]
    [TestCase("%% a comment\ngraph LR\n  a --> b", true)]
    [TestCase("---\ntitle: Lifecycle\n---\nstateDiagram-v2\n  [*] --> A", true)]
    [TestCase("sequenceDiagram\n  A->>B: hi", true)]
    [TestCase("", false)]
    [TestCase("a --> b", false)]
    public void CheckMermaid_Diagram_AcceptsOnlyADiagramKeywordFirst(string diagram, bool valid) =>
        Assert.That(NotebookRunner.CheckMermaid(diagram) is null, Is.EqualTo(valid), NotebookRunner.CheckMermaid(diagram));

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
