using System.Text.RegularExpressions;
using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>
/// docs/control.md's ```csharp blocks are executed like notebook cells, in order, in one Polyglot kernel started in
/// docs/ after a cell that references the freshly built DLLs (as <see cref="ReadmeTests"/> does for the README).
/// </summary>
[Parallelizable(ParallelScope.All)]
public partial class ControlDocTests
{
    private static readonly string[] Assemblies =
    [
        "../src/Engine.CSharp/bin/Debug/net10.0/Polly.Core.dll",
        "../src/Engine.CSharp/bin/Debug/net10.0/Microsoft.Extensions.Logging.Abstractions.dll",
        "../src/Engine.CSharp/bin/Debug/net10.0/Microsoft.Extensions.ObjectPool.dll",
        "../src/Engine.CSharp/bin/Debug/net10.0/Graph.Engine.dll",
    ];

    [Test]
    public async Task ControlDoc_CodeBlocks_RunClean()
    {
        var doc = Path.Combine(RepoLayout.Root, "docs", "control.md");
        var blocks = CodeBlock().Matches(File.ReadAllText(doc)).Select(m => m.Groups[1].Value).ToList();
        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(3), "docs/control.md has its C# examples");

        var cells = new List<NotebookCell> { Cell(1, string.Join("\n", Assemblies.Select(a => $"#r \"{a}\""))) };
        foreach (var code in blocks)
        {
            cells.Add(Cell(cells.Count + 1, code));
        }

        var result = await new NotebookRunner().RunAsync(new Notebook(doc, cells, "csharp"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
    }

    private static NotebookCell Cell(int number, string code) => new(number, "code", CellLanguage.CSharp, "csharp", code, code, null, 0);

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
