using System.Collections.Immutable;
using Graph.Engine.Graphs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Graph.Engine.Analyzers.Tests;

/// <summary>Compiles a source file against Graph.Engine and the running framework, then runs the analyzers on it.</summary>
internal static class AnalyzerRun
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(StateGraph<,>).Assembly.Location),
    ]);

    /// <summary>The GRAPH diagnostics of <paramref name="source"/>; fails if the source itself does not compile.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> DiagnosticsAsync(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "UserCode",
            [tree],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.That(errors, Is.Empty, "the test source compiles: " + string.Join(Environment.NewLine, errors));

        var analyzed = compilation.WithAnalyzers([new EdgeTargetAnalyzer()]);
        var diagnostics = await analyzed.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start)];
    }

    /// <summary>The text a diagnostic's location covers.</summary>
    public static string Text(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
}
