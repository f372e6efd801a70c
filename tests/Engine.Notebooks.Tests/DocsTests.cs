using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

/// <summary>
/// The ```csharp blocks of the docs pages listed here run like the README's (<see cref="ReadmeTests"/>): in order, in
/// one Polyglot kernel started in docs/, after a cell that references the freshly built DLLs by absolute path.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class DocsTests
{
    [TestCase("control.md")]
    public async Task DocsPage_CSharpBlocks_RunClean(string page)
    {
        var path = Path.Combine(RepoLayout.Root, "docs", page);
        var blocks = ReadmeTests.CodeBlock().Matches(File.ReadAllText(path))
            .Where(m => m.Groups[1].Value == "csharp")
            .Select(m => m.Groups[2].Value)
            .ToList();
        Assert.That(blocks, Is.Not.Empty, $"docs/{page} has a C# example");

        var cells = new List<NotebookCell> { ReadmeTests.Cell(1, CellLanguage.CSharp, string.Join("\n", ReadmeTests.Assemblies.Select(a => $"#r \"{Path.Combine(RepoLayout.Root, a)}\""))) };
        cells.AddRange(blocks.Select((code, i) => ReadmeTests.Cell(i + 2, CellLanguage.CSharp, code)));

        var result = await new NotebookRunner().RunAsync(new Notebook(path, cells, "csharp"));

        Assert.That(result.Succeeded, Is.True, result.Describe());
    }
}
