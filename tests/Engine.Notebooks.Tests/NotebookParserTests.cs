using Graph.Engine.Notebooks.Tests.Runner;

namespace Graph.Engine.Notebooks.Tests;

public class NotebookParserTests
{
    private const string Path = "/repo/notebooks/01-test.ipynb";

    private static string Notebook(string cells, string metadata = """{ "kernelspec": { "name": ".net-csharp" } }""") =>
        $$"""{ "cells": [ {{cells}} ], "metadata": {{metadata}}, "nbformat": 4, "nbformat_minor": 2 }""";

    private static string Code(string metadata, string source) =>
        $$"""{ "cell_type": "code", "execution_count": null, "metadata": {{metadata}}, "outputs": [], "source": {{source}} }""";

    [Test]
    public void Parse_SourceAsArrayOrString_JoinsLinesAndNormalisesLineEndings()
    {
        var notebook = NotebookParser.Parse(Notebook(
            Code("{}", """["var a = 1;\r\n", "var b = 2;"]""") + "," + Code("{}", "\"var c = 3;\\r\\nc\"")), Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notebook.Cells[0].Source, Is.EqualTo("var a = 1;\nvar b = 2;"));
            Assert.That(notebook.Cells[1].Source, Is.EqualTo("var c = 3;\nc"));
            Assert.That(notebook.Cells.Select(c => c.Number), Is.EqualTo(new[] { 1, 2 }));
        }
    }

    [TestCase("""{ "polyglot_notebook": { "kernelName": "fsharp" } }""", CellLanguage.FSharp)]
    [TestCase("""{ "dotnet_interactive": { "language": "fsharp" } }""", CellLanguage.FSharp)]
    [TestCase("""{ "polyglot_notebook": { "kernelName": "mermaid" }, "dotnet_interactive": { "language": "csharp" } }""", CellLanguage.Mermaid)]
    [TestCase("""{ "polyglot_notebook": { "kernelName": "pwsh" } }""", CellLanguage.PowerShell)]
    [TestCase("""{ "polyglot_notebook": { "kernelName": "markdown" } }""", CellLanguage.Markdown)]
    [TestCase("""{ "polyglot_notebook": { "kernelName": "javascript" } }""", CellLanguage.Other)]
    [TestCase("{}", CellLanguage.CSharp)]
    public void Parse_CellKernelMetadata_ResolvesLanguage(string metadata, CellLanguage expected)
    {
        var notebook = NotebookParser.Parse(Notebook(Code(metadata, "\"x\"")), Path);

        Assert.That(notebook.Cells[0].Language, Is.EqualTo(expected));
    }

    [TestCase("""{ "kernelspec": { "name": ".net-fsharp" } }""", CellLanguage.FSharp)]
    [TestCase("""{ "kernelspec": { "name": "polyglot-notebook" }, "polyglot_notebook": { "kernelInfo": { "defaultKernelName": "fsharp", "items": [] } } }""", CellLanguage.FSharp)]
    [TestCase("""{ "kernelspec": { "name": "polyglot-notebook" } }""", CellLanguage.CSharp)]
    public void Parse_CellWithoutKernelMetadata_UsesNotebookDefault(string notebookMetadata, CellLanguage expected)
    {
        var notebook = NotebookParser.Parse(Notebook(Code("{}", "\"x\""), notebookMetadata), Path);

        Assert.That(notebook.Cells[0].Language, Is.EqualTo(expected));
    }

    [TestCase("#!fsharp", CellLanguage.FSharp)]
    [TestCase("#!f#", CellLanguage.FSharp)]
    [TestCase("#!csharp", CellLanguage.CSharp)]
    [TestCase("#!mermaid", CellLanguage.Mermaid)]
    [TestCase("#!pwsh", CellLanguage.PowerShell)]
    [TestCase("#!markdown", CellLanguage.Markdown)]
    public void Parse_LeadingMagicLine_OverridesMetadataAndIsBlanked(string magic, CellLanguage expected)
    {
        var source = System.Text.Json.JsonSerializer.Serialize(new[] { "\n", magic + "\n", "body" });
        var notebook = NotebookParser.Parse(Notebook(Code("""{ "polyglot_notebook": { "kernelName": "javascript" } }""", source)), Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notebook.Cells[0].Language, Is.EqualTo(expected));
            Assert.That(notebook.Cells[0].Code, Is.EqualTo("\n\nbody"), "the magic line is blanked, so line numbers still match the cell");
        }
    }

    [Test]
    public void Parse_LeadingNonKernelMagic_IsKeptInTheCode()
    {
        var notebook = NotebookParser.Parse(Notebook(Code("{}", "\"#!time\\nvar x = 1;\"")), Path);

        Assert.That(notebook.Cells[0].Code, Is.EqualTo("#!time\nvar x = 1;"));
    }

    [Test]
    public void Parse_MarkdownAndRawCells_AreNotCode()
    {
        var notebook = NotebookParser.Parse(Notebook(
            """{ "cell_type": "markdown", "metadata": {}, "source": "# Title" }, { "cell_type": "raw", "metadata": {}, "source": [] }"""), Path);

        Assert.That(notebook.Cells.Select(c => c.Language), Is.EqualTo(new[] { CellLanguage.Markdown, CellLanguage.Raw }));
    }

    [Test]
    public void Parse_OutputsAndExecutionCount_AreRecorded()
    {
        var notebook = NotebookParser.Parse(Notebook(
            """{ "cell_type": "code", "execution_count": 7, "metadata": {}, "outputs": [ { "output_type": "stream", "name": "stdout", "text": "x" } ], "source": "x" }"""), Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notebook.Cells[0].ExecutionCount, Is.EqualTo(7));
            Assert.That(notebook.Cells[0].OutputCount, Is.EqualTo(1));
        }
    }

    [TestCase("not json")]
    [TestCase("""{ "metadata": {} }""")]
    public void Parse_NotANotebook_ThrowsFormatExceptionNamingTheFile(string json) =>
        Assert.That(() => NotebookParser.Parse(json, Path), Throws.TypeOf<FormatException>().With.Message.Contains("01-test.ipynb"));
}
