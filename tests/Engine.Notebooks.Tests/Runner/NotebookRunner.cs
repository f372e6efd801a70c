using System.Text.RegularExpressions;
using Graph.Engine.Notebooks.Tests.Kernel;

namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>
/// Executes a notebook's code cells, in order, in one fresh Polyglot kernel (<see cref="PolyglotKernel"/>)
/// started in the notebook's folder, as VS Code would. Markdown and raw cells are skipped, and so is the build
/// cell (the test project already builds the library through its ProjectReferences). The first failing cell
/// stops the run; the kernel is killed at the end either way.
/// </summary>
public sealed partial class NotebookRunner(NotebookRunnerOptions options)
{
    /// <summary>The diagram keywords a Mermaid cell may start with.</summary>
    public static readonly IReadOnlySet<string> MermaidDiagramKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "graph", "flowchart", "sequenceDiagram", "stateDiagram", "stateDiagram-v2", "classDiagram",
        "classDiagram-v2", "erDiagram", "gantt", "pie", "journey", "gitGraph", "mindmap", "timeline",
        "quadrantChart", "requirementDiagram", "C4Context", "C4Container", "C4Component", "C4Dynamic",
        "C4Deployment", "sankey-beta", "xychart-beta", "block-beta", "packet-beta", "architecture-beta",
    };

    /// <summary>A runner with default options.</summary>
    public NotebookRunner()
        : this(new NotebookRunnerOptions())
    {
    }

    /// <summary>
    /// The build cell convention: a <c>pwsh</c> cell whose every command line (ignoring blank lines and
    /// <c>#</c> comments) is a <c>dotnet build</c>.
    /// </summary>
    public static bool IsBuildCell(NotebookCell cell)
    {
        if (cell.CellType != "code" || cell.Language != CellLanguage.PowerShell)
        {
            return false;
        }

        var commands = cell.Code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        return commands.Count > 0 && commands.All(l => l.StartsWith("dotnet build", StringComparison.Ordinal));
    }

    /// <summary>
    /// The kernel renders Mermaid in the browser and accepts any text, so the runner checks the form first:
    /// returns an error for an empty cell or one that does not start with a diagram keyword, else null.
    /// </summary>
    public static string? CheckMermaid(string code)
    {
        var lines = code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count > 0 && lines[0] == "---")
        {
            // Front matter (title, config) comes before the diagram keyword.
            var close = lines.IndexOf("---", 1);
            lines = close < 0 ? [] : lines.Skip(close + 1).ToList();
        }

        var first = lines.FirstOrDefault(l => !l.StartsWith("%%", StringComparison.Ordinal));
        if (first is null)
        {
            return "Mermaid cell is empty";
        }

        var keyword = first.Split(' ', '\t', ';')[0];
        return MermaidDiagramKeywords.Contains(keyword)
            ? null
            : $"Mermaid cell does not start with a diagram keyword (graph, flowchart, sequenceDiagram, stateDiagram, ...): '{first}'";
    }

    /// <summary>Runs the notebook at <paramref name="path"/>.</summary>
    public Task<NotebookRunResult> RunAsync(string path) => RunAsync(NotebookParser.Load(path));

    /// <summary>Runs every cell of <paramref name="notebook"/>; the kernel starts with the first cell it must run.</summary>
    public async Task<NotebookRunResult> RunAsync(Notebook notebook)
    {
        var outcomes = new List<CellOutcome>();
        CellFailure? failure = null;
        PolyglotKernel? kernel = null;
        try
        {
            foreach (var cell in notebook.Cells)
            {
                if (failure is not null)
                {
                    outcomes.Add(new CellOutcome(cell.Number, cell.Language, CellStatus.NotRun, string.Empty));
                    continue;
                }

                if (IsSkipped(cell))
                {
                    outcomes.Add(new CellOutcome(cell.Number, cell.Language, CellStatus.Skipped, string.Empty));
                    continue;
                }

                KernelSubmission submission;
                if (CheckCell(cell) is { } error)
                {
                    submission = new KernelSubmission(false, error, string.Empty);
                }
                else
                {
                    try
                    {
                        kernel ??= await PolyglotKernel.StartAsync(notebook.Directory, options.KernelStartTimeout).ConfigureAwait(false);
                        submission = await kernel.SubmitCodeAsync(cell.LanguageLabel, options.MapBuildConfiguration(cell.Source), options.CellTimeout).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException ex)
                    {
                        submission = new KernelSubmission(false, ex.Message, string.Empty);
                    }
                }

                outcomes.Add(new CellOutcome(cell.Number, cell.Language, submission.Succeeded ? CellStatus.Ran : CellStatus.Failed, submission.Output));
                if (!submission.Succeeded)
                {
                    failure = new CellFailure(notebook.Name, cell.Number, cell.LanguageLabel, submission.Error);
                }
            }
        }
        finally
        {
            if (kernel is not null)
            {
                await kernel.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new NotebookRunResult(notebook, outcomes, failure is null ? [] : [failure]);
    }

    private static bool IsSkipped(NotebookCell cell) =>
        cell.Language is CellLanguage.Markdown or CellLanguage.Raw || IsBuildCell(cell);

    /// <summary>Checks before the kernel sees the cell: returns an error for a cell the test must not run, else null.</summary>
    private static string? CheckCell(NotebookCell cell) => cell.Language switch
    {
        CellLanguage.Mermaid => CheckMermaid(cell.Code),
        CellLanguage.CSharp or CellLanguage.FSharp when NugetDirectiveRegex().Match(cell.Code) is { Success: true } nuget =>
            $"'{nuget.Value.Trim()}' is not supported: the notebook test runs offline; reference a built DLL by relative path instead",
        CellLanguage.CSharp or CellLanguage.FSharp or CellLanguage.PowerShell => null,
        _ => $"kernel '{cell.KernelName}' is not run by the notebook test (csharp, fsharp, mermaid and pwsh are; markdown and raw cells are skipped)",
    };

    [GeneratedRegex(@"^\s*#(?:r|i)\s+@?""nuget:[^""]*""", RegexOptions.Multiline)]
    private static partial Regex NugetDirectiveRegex();
}
