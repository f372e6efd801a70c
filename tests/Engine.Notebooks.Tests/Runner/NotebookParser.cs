using System.Text.Json;

namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>
/// Reads Polyglot Notebooks <c>.ipynb</c> files (nbformat 4).
/// </summary>
/// <remarks>
/// A code cell's kernel is resolved in this order, the first that applies wins:
/// <list type="number">
/// <item>a leading magic line (<c>#!csharp</c>, <c>#!fsharp</c>, <c>#!mermaid</c>, <c>#!pwsh</c>, <c>#!markdown</c> and their aliases);</item>
/// <item>cell <c>metadata.polyglot_notebook.kernelName</c> (what VS Code Polyglot Notebooks writes);</item>
/// <item>cell <c>metadata.dotnet_interactive.language</c> (older files);</item>
/// <item>notebook <c>metadata.polyglot_notebook.kernelInfo.defaultKernelName</c>;</item>
/// <item>notebook <c>metadata.kernelspec.name</c> (<c>.net-csharp</c>, <c>.net-fsharp</c>, <c>.net-pwsh</c>);</item>
/// <item>C#, the Polyglot Notebooks default.</item>
/// </list>
/// </remarks>
public static class NotebookParser
{
    private static readonly Dictionary<string, CellLanguage> KernelAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = CellLanguage.CSharp,
        ["c#"] = CellLanguage.CSharp,
        ["fsharp"] = CellLanguage.FSharp,
        ["f#"] = CellLanguage.FSharp,
        ["mermaid"] = CellLanguage.Mermaid,
        ["markdown"] = CellLanguage.Markdown,
        ["md"] = CellLanguage.Markdown,
        ["pwsh"] = CellLanguage.PowerShell,
        ["powershell"] = CellLanguage.PowerShell,
    };

    /// <summary>Reads and parses the notebook at <paramref name="path"/>.</summary>
    public static Notebook Load(string path) => Parse(File.ReadAllText(path), Path.GetFullPath(path));

    /// <summary>Parses notebook JSON; <paramref name="path"/> names the notebook and anchors relative paths.</summary>
    /// <exception cref="FormatException">The text is not an nbformat 4 notebook.</exception>
    public static Notebook Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"notebook {Path.GetFileName(path)} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"notebook {Path.GetFileName(path)} has no 'cells' array");
            }

            var defaultKernel = DefaultKernelName(root);
            var parsed = new List<NotebookCell>();
            var number = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                number++;
                parsed.Add(ParseCell(cell, number, defaultKernel));
            }

            return new Notebook(path, parsed, defaultKernel);
        }
    }

    /// <summary>Maps a kernel name or alias (<c>csharp</c>, <c>F#</c>, <c>pwsh</c>...) to a language.</summary>
    public static CellLanguage LanguageOf(string kernelName) =>
        KernelAliases.TryGetValue(kernelName.Trim(), out var language) ? language : CellLanguage.Other;

    private static NotebookCell ParseCell(JsonElement cell, int number, string defaultKernel)
    {
        var cellType = StringProperty(cell, "cell_type") ?? "code";
        var source = ReadSource(cell);
        var executionCount = cell.TryGetProperty("execution_count", out var count) && count.ValueKind == JsonValueKind.Number
            ? count.GetInt32()
            : (int?)null;
        var outputCount = cell.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array
            ? outputs.GetArrayLength()
            : 0;

        if (cellType == "markdown")
        {
            return new NotebookCell(number, cellType, CellLanguage.Markdown, "markdown", source, source, executionCount, outputCount);
        }

        if (cellType == "raw")
        {
            return new NotebookCell(number, cellType, CellLanguage.Raw, "raw", source, source, executionCount, outputCount);
        }

        var (magicKernel, code) = SplitMagicLine(source);
        var kernel = magicKernel ?? CellKernelName(cell) ?? defaultKernel;
        return new NotebookCell(number, cellType, LanguageOf(kernel), kernel, source, code, executionCount, outputCount);
    }

    /// <summary>
    /// Finds a leading kernel magic line (the first non-blank line, e.g. <c>#!fsharp</c>) and blanks it.
    /// A leading <c>#!</c> line naming something that is not a kernel (<c>#!time</c>) is left in the code.
    /// </summary>
    private static (string? Kernel, string Code) SplitMagicLine(string source)
    {
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (!trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                return (null, source);
            }

            var name = trimmed[2..].Split(' ', '\t')[0];
            if (LanguageOf(name) == CellLanguage.Other)
            {
                return (null, source);
            }

            lines[i] = string.Empty;
            return (name, string.Join('\n', lines));
        }

        return (null, source);
    }

    private static string? CellKernelName(JsonElement cell)
    {
        if (!cell.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (metadata.TryGetProperty("polyglot_notebook", out var polyglot) && StringProperty(polyglot, "kernelName") is { } kernelName)
        {
            return kernelName;
        }

        if (metadata.TryGetProperty("dotnet_interactive", out var interactive) && StringProperty(interactive, "language") is { } language)
        {
            return language;
        }

        return null;
    }

    private static string DefaultKernelName(JsonElement root)
    {
        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return "csharp";
        }

        if (metadata.TryGetProperty("polyglot_notebook", out var polyglot) &&
            polyglot.ValueKind == JsonValueKind.Object &&
            polyglot.TryGetProperty("kernelInfo", out var kernelInfo) &&
            StringProperty(kernelInfo, "defaultKernelName") is { } defaultKernel)
        {
            return defaultKernel;
        }

        return (metadata.TryGetProperty("kernelspec", out var kernelspec) ? StringProperty(kernelspec, "name") : null) switch
        {
            ".net-fsharp" => "fsharp",
            ".net-pwsh" or ".net-powershell" => "pwsh",
            _ => "csharp",
        };
    }

    private static string ReadSource(JsonElement cell)
    {
        if (!cell.TryGetProperty("source", out var source))
        {
            return string.Empty;
        }

        var text = source.ValueKind switch
        {
            JsonValueKind.String => source.GetString() ?? string.Empty,
            JsonValueKind.Array => string.Concat(source.EnumerateArray().Select(line => line.GetString())),
            _ => string.Empty,
        };
        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object &&
        element.TryGetProperty(name, out var value) &&
        value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
