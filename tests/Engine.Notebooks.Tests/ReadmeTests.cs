using System.Text.RegularExpressions;
using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>
/// The README's ```csharp and ```fsharp blocks (and docs/testing.md's ```csharp blocks) are executed like notebook cells, in order, in one Polyglot kernel
/// started at the repository root, after two synthetic cells (C#, F#) that reference the freshly built DLLs, so the
/// examples can never rot.
/// </summary>
[Parallelizable(ParallelScope.All)]
public partial class ReadmeTests
{
    /// <summary>The built DLLs a C# cell references (the F# cell adds Graph.Engine.FSharp).</summary>
    internal static readonly string[] Assemblies =
    [
        "src/Engine.CSharp/bin/Debug/net10.0/Polly.Core.dll",
        "src/Engine.CSharp/bin/Debug/net10.0/Microsoft.Extensions.Logging.Abstractions.dll",
        "src/Engine.CSharp/bin/Debug/net10.0/Microsoft.Extensions.ObjectPool.dll",
        "src/Engine.CSharp/bin/Debug/net10.0/Graph.Engine.dll",
        "src/Engine.Sqlite/bin/Debug/net10.0/Graph.Engine.Sqlite.dll",
    ];

    [Test]
    public async Task Readme_CodeBlocks_RunClean()
    {
        var readme = Path.Combine(RepoLayout.Root, "README.md");
        var blocks = CodeBlock().Matches(File.ReadAllText(readme)).Select(m => (Language: m.Groups[1].Value, Code: m.Groups[2].Value)).ToList();
        Assert.That(blocks.Count(b => b.Language == "csharp"), Is.GreaterThan(0), "the README has a C# example");

        var cells = new List<NotebookCell>
        {
            Cell(1, CellLanguage.CSharp, string.Join("\n", Assemblies.Select(a => $"#r \"{a}\""))),
            Cell(2, CellLanguage.FSharp, string.Join("\n", Assemblies.Concat(["src/Engine.FSharp/bin/Debug/net10.0/Graph.Engine.FSharp.dll"]).Select(a => $"#r \"{a}\""))),
        };
        foreach (var (language, code) in blocks)
        {
            cells.Add(Cell(cells.Count + 1, language == "csharp" ? CellLanguage.CSharp : CellLanguage.FSharp, code));
        }

        var result = await new NotebookRunner().RunAsync(new Notebook(readme, cells, "csharp"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
    }

    /// <summary>docs/testing.md's ```csharp blocks, run the same way with the testing kit (and NUnit, whose assertion exceptions it throws) referenced.</summary>
    [Test]
    public async Task TestingDoc_CodeBlocks_RunClean()
    {
        var doc = Path.Combine(RepoLayout.Root, "docs", "testing.md");
        var blocks = CodeBlock().Matches(File.ReadAllText(doc)).Where(m => m.Groups[1].Value == "csharp").Select(m => m.Groups[2].Value).ToList();
        Assert.That(blocks, Is.Not.Empty, "docs/testing.md has C# examples");
        string[] testing = ["src/Engine.Testing/bin/Debug/net10.0/nunit.framework.dll", "src/Engine.Testing/bin/Debug/net10.0/Graph.Engine.Testing.dll"];
        // The kernel starts in the document's folder (docs/).
        var cells = new List<NotebookCell> { Cell(1, CellLanguage.CSharp, string.Join("\n", Assemblies.Concat(testing).Select(a => $"#r \"../{a}\""))) };
        cells.AddRange(blocks.Select(code => Cell(cells.Count + 1, CellLanguage.CSharp, code)));

        var result = await new NotebookRunner().RunAsync(new Notebook(doc, cells, "csharp"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
    }

    internal static NotebookCell Cell(int number, CellLanguage language, string code) =>
        new(number, "code", language, language == CellLanguage.CSharp ? "csharp" : "fsharp", code, code, null, 0);

    [GeneratedRegex(@"^```(csharp|fsharp)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    internal static partial Regex CodeBlock();
}
