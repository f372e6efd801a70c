using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>Runs every committed notebook in the real Polyglot kernel, so a notebook can never rot.</summary>
[Parallelizable(ParallelScope.All)]
public class NotebookTests
{
    /// <summary>One case per <c>notebooks/*.ipynb</c>, named after the file.</summary>
    public static IEnumerable<TestCaseData> CommittedNotebooks() =>
        Directory.EnumerateFiles(RepoLayout.NotebooksFolder, "*.ipynb")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetArgDisplayNames(Path.GetFileName(path)));

    private static IEnumerable<string> AllCommittedNotebookPaths() =>
        Directory.EnumerateFiles(RepoLayout.NotebooksFolder, "*.ipynb")
            .Concat(Directory.EnumerateFiles(RepoLayout.FixturesFolder, "*.ipynb"))
            .Order(StringComparer.Ordinal);

    [Test]
    public void NotebooksFolder_Always_HoldsAtLeastOneNotebook() =>
        Assert.That(CommittedNotebooks(), Is.Not.Empty, $"no notebooks found in {RepoLayout.NotebooksFolder}");

    [TestCaseSource(nameof(CommittedNotebooks))]
    public async Task Notebook_RunAllCells_EveryCellSucceeds(string fileName)
    {
        var result = await new NotebookRunner().RunAsync(Path.Combine(RepoLayout.NotebooksFolder, fileName));

        Assert.That(result.Succeeded, Is.True, result.Describe());
        Assert.That(result.Cells.Any(c => c.Status == CellStatus.Ran), Is.True, $"notebook {fileName} ran no code cell");
    }

    [Test]
    public void CommittedNotebooks_Always_CarryNoOutputsOrExecutionCounts()
    {
        var dirty = AllCommittedNotebookPaths()
            .Select(NotebookParser.Load)
            .SelectMany(nb => nb.Cells
                .Where(c => c.OutputCount > 0 || c.ExecutionCount is not null)
                .Select(c => $"notebook {nb.Name}, cell {c.Number}: {c.OutputCount} output(s), execution_count {c.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}"))
            .ToList();

        Assert.That(dirty, Is.Empty, "clear all outputs before committing (VS Code: 'Clear All Outputs'):" + Environment.NewLine + string.Join(Environment.NewLine, dirty));
    }

    [Test]
    public void CommittedNotebooks_Always_FollowTheNamingAndBuildCellConventions()
    {
        var problems = new List<string>();
        foreach (var path in Directory.EnumerateFiles(RepoLayout.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = NotebookParser.Load(path);
            if (!System.Text.RegularExpressions.Regex.IsMatch(notebook.Name, @"^\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$"))
            {
                problems.Add($"notebook {notebook.Name}: name must be NN-lower-case-words.ipynb");
            }

            var firstCode = notebook.Cells.FirstOrDefault(c => c.CellType == "code");
            if (firstCode is null || !NotebookRunner.IsBuildCell(firstCode))
            {
                problems.Add($"notebook {notebook.Name}: the first code cell must be the build cell (#!pwsh, dotnet build ../Graph.sln)");
            }
        }

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }
}
