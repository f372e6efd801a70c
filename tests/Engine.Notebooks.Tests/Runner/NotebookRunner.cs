using System.Text.RegularExpressions;

namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>
/// Executes every code cell of a notebook, in order, one session per language: C# in-process through
/// Roslyn scripting, F# in one <c>dotnet fsi</c> child process. Markdown and raw cells are skipped, Mermaid
/// cells are checked for form, the build cell is skipped (the test project already builds the library
/// through its ProjectReferences), and anything else fails clearly.
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

    /// <summary>Runs the notebook at <paramref name="path"/>.</summary>
    public Task<NotebookRunResult> RunAsync(string path) => RunAsync(NotebookParser.Load(path));

    /// <summary>Runs every cell of <paramref name="notebook"/>.</summary>
    public async Task<NotebookRunResult> RunAsync(Notebook notebook)
    {
        var outcomes = new Dictionary<int, CellOutcome>();
        var failures = new List<CellFailure>();
        var csharp = new List<NotebookCell>();
        var fsharp = new List<NotebookCell>();

        foreach (var cell in notebook.Cells)
        {
            if (CheckCell(cell) is { } error)
            {
                failures.Add(new CellFailure(notebook.Name, cell.Number, cell.LanguageLabel, error));
                outcomes[cell.Number] = new CellOutcome(cell.Number, cell.Language, CellStatus.Failed, string.Empty);
            }
            else if (cell.Language == CellLanguage.CSharp)
            {
                csharp.Add(cell);
            }
            else if (cell.Language == CellLanguage.FSharp)
            {
                fsharp.Add(cell);
            }
            else
            {
                outcomes[cell.Number] = new CellOutcome(cell.Number, cell.Language, CellStatus.Skipped, string.Empty);
            }
        }

        // fsi starts in a few seconds on its own process: let it run while the C# cells run here.
        var fsharpRun = fsharp.Count > 0 ? new FSharpSession(notebook, fsharp, options).RunAsync() : null;

        if (csharp.Count > 0)
        {
            var session = new CSharpSession(notebook, options);
            var failed = false;
            foreach (var cell in csharp)
            {
                if (failed)
                {
                    outcomes[cell.Number] = new CellOutcome(cell.Number, cell.Language, CellStatus.NotRun, string.Empty);
                    continue;
                }

                var (succeeded, output) = await session.RunCellAsync(cell.Code).ConfigureAwait(false);
                outcomes[cell.Number] = new CellOutcome(cell.Number, cell.Language, succeeded ? CellStatus.Ran : CellStatus.Failed, succeeded ? output : string.Empty);
                if (!succeeded)
                {
                    failed = true;
                    failures.Add(new CellFailure(notebook.Name, cell.Number, "csharp", output));
                }
            }
        }

        if (fsharpRun is not null)
        {
            var (fsharpOutcomes, failure) = await fsharpRun.ConfigureAwait(false);
            foreach (var outcome in fsharpOutcomes)
            {
                outcomes[outcome.Number] = outcome;
            }

            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        return new NotebookRunResult(
            notebook,
            [.. outcomes.Values.OrderBy(o => o.Number)],
            [.. failures.OrderBy(f => f.CellNumber)]);
    }

    /// <summary>Static checks: returns an error for a cell the runner cannot or must not run, else null.</summary>
    private static string? CheckCell(NotebookCell cell)
    {
        switch (cell.Language)
        {
            case CellLanguage.Markdown or CellLanguage.Raw:
                return null;
            case CellLanguage.PowerShell:
                return IsBuildCell(cell)
                    ? null
                    : "only the build cell may be pwsh (every command a 'dotnet build'); the runner does not run PowerShell";
            case CellLanguage.Mermaid:
                return CheckMermaid(cell.Code);
            case CellLanguage.CSharp or CellLanguage.FSharp:
                return CheckCode(cell.Code);
            default:
                return $"kernel '{cell.KernelName}' is not supported by the notebook runner (csharp, fsharp, mermaid, markdown and the pwsh build cell are)";
        }
    }

    private static string? CheckMermaid(string code)
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

    private static string? CheckCode(string code)
    {
        if (NugetDirectiveRegex().Match(code) is { Success: true } nuget)
        {
            return $"'{nuget.Value.Trim()}' is not supported: the notebook test runs offline; reference a built DLL by relative path instead";
        }

        if (MagicLineRegex().Match(code) is { Success: true } magic)
        {
            return $"magic command '{magic.Value.Trim()}' is not supported by the notebook runner (only a leading kernel selector such as #!csharp is)";
        }

        return null;
    }

    [GeneratedRegex(@"^\s*#(?:r|i)\s+@?""nuget:[^""]*""", RegexOptions.Multiline)]
    private static partial Regex NugetDirectiveRegex();

    [GeneratedRegex(@"^\s*#![^\n]*", RegexOptions.Multiline)]
    private static partial Regex MagicLineRegex();
}
