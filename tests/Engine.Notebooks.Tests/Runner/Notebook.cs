namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>The language a notebook cell is written in, after kernel resolution.</summary>
public enum CellLanguage
{
    /// <summary>A Jupyter markdown cell, or a code cell routed to the markdown kernel.</summary>
    Markdown,

    /// <summary>C#, run in the kernel's <c>csharp</c> subkernel.</summary>
    CSharp,

    /// <summary>F#, run in the kernel's <c>fsharp</c> subkernel.</summary>
    FSharp,

    /// <summary>A Mermaid diagram: checked for form, then run in the kernel's <c>mermaid</c> subkernel.</summary>
    Mermaid,

    /// <summary>PowerShell: the build cell is skipped, any other cell runs in the kernel's <c>pwsh</c> subkernel.</summary>
    PowerShell,

    /// <summary>A Jupyter raw cell.</summary>
    Raw,

    /// <summary>Any other kernel (javascript, sql, ...): not supported, reported as a failure.</summary>
    Other,
}

/// <summary>One cell of a notebook.</summary>
/// <param name="Number">1-based position of the cell in the notebook, counting every cell.</param>
/// <param name="CellType">The Jupyter cell type: <c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Language">The resolved language.</param>
/// <param name="KernelName">The kernel name as written (magic line or metadata), for messages.</param>
/// <param name="Source">The cell text as stored, line endings normalised to LF.</param>
/// <param name="Code">
/// The cell text with a leading kernel magic line (<c>#!fsharp</c>) replaced by an empty line,
/// so line numbers in errors match the cell as shown in the editor.
/// </param>
/// <param name="ExecutionCount">The stored execution count; committed notebooks must have none.</param>
/// <param name="OutputCount">The number of stored outputs; committed notebooks must have none.</param>
public sealed record NotebookCell(
    int Number,
    string CellType,
    CellLanguage Language,
    string KernelName,
    string Source,
    string Code,
    int? ExecutionCount,
    int OutputCount)
{
    /// <summary>The language name used in failure messages (the canonical kernel name).</summary>
    public string LanguageLabel => Language switch
    {
        CellLanguage.CSharp => "csharp",
        CellLanguage.FSharp => "fsharp",
        CellLanguage.Mermaid => "mermaid",
        CellLanguage.Markdown => "markdown",
        CellLanguage.PowerShell => "pwsh",
        CellLanguage.Raw => "raw",
        _ => KernelName,
    };
}

/// <summary>A parsed <c>.ipynb</c> notebook.</summary>
/// <param name="Path">Full path of the notebook file.</param>
/// <param name="Cells">The cells in file order.</param>
/// <param name="DefaultKernelName">The notebook's default kernel (from its metadata), used for cells without kernel metadata.</param>
public sealed record Notebook(string Path, IReadOnlyList<NotebookCell> Cells, string DefaultKernelName)
{
    /// <summary>The file name, used in failure messages.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The folder holding the notebook: relative <c>#r</c> paths resolve against it.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
}
