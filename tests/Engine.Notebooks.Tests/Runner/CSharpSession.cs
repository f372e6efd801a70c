using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>
/// The globals every C# cell sees, standing in for the few Polyglot Notebooks helpers a tutorial uses.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly StringBuilder displayed = new();

    /// <summary>Polyglot's <c>display(value)</c>: records the value's text as the cell's output.</summary>
#pragma warning disable IDE1006 // lower-case on purpose: this is the name notebooks call.
    public void display(object? value) => displayed.AppendLine(value?.ToString() ?? "null");
#pragma warning restore IDE1006

    internal string TakeDisplayed()
    {
        var text = displayed.ToString();
        displayed.Clear();
        return text;
    }
}

/// <summary>
/// One Roslyn scripting session for the C# cells of a notebook: the first cell starts it with
/// <see cref="CSharpScript.RunAsync(string, ScriptOptions, object, Type, CancellationToken)"/>, later cells
/// continue from its state, so they see earlier variables exactly as in a notebook kernel.
/// </summary>
internal sealed class CSharpSession
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    /// <summary>The usings the Polyglot Notebooks C# kernel starts with.</summary>
    private static readonly string[] DefaultImports =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks",
    ];

    private readonly ScriptOptions options;
    private readonly NotebookGlobals globals = new();
    private readonly TimeSpan cellTimeout;
    private ScriptState<object?>? state;

    public CSharpSession(Notebook notebook, NotebookRunnerOptions runnerOptions)
    {
        cellTimeout = runnerOptions.CSharpCellTimeout;
        options = ScriptOptions.Default
            .WithReferences(FrameworkReferences.Value)
            .WithImports(DefaultImports)
            .WithMetadataResolver(new NotebookMetadataResolver(notebook.Directory, runnerOptions))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, notebook.Directory))
            .WithEmitDebugInformation(true);
    }

    /// <summary>Runs one cell; returns its output, or the error text when it fails.</summary>
    public async Task<(bool Succeeded, string Output)> RunCellAsync(string code)
    {
        var run = Task.Run(async () => state is null
            ? await CSharpScript.RunAsync<object?>(code, options, globals, typeof(NotebookGlobals)).ConfigureAwait(false)
            : await state.ContinueWithAsync<object?>(code, options).ConfigureAwait(false));
        try
        {
            state = await run.WaitAsync(cellTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Roslyn cannot abort running script code; the cell's task is abandoned and the session ends.
            return (false, $"did not finish within {cellTimeout.TotalSeconds:0.#} s (C# cell timeout)");
        }
        catch (CompilationErrorException ex)
        {
            var errors = ex.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
            return (false, string.Join("; ", errors));
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } wrapped } ? wrapped : ex;
            return (false, $"{inner.GetType().FullName}: {inner.Message}");
        }

        var output = new StringBuilder(globals.TakeDisplayed());
        if (state.ReturnValue is { } value)
        {
            output.AppendLine(value.ToString());
        }

        return (true, output.ToString());
    }

    /// <summary>
    /// Every assembly of the shared framework the test runs on: what a notebook's C# kernel sees.
    /// Nothing from the test's own bin folder, so a notebook can only use the engine through its <c>#r</c>.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return
        [
            .. trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
                .Where(IsManagedAssembly)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)),
        ];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Resolves <c>#r "relative/path.dll"</c> against the notebook's folder and maps <c>bin/Debug/</c> to the
    /// configuration under test; everything else is left to Roslyn's script resolver.
    /// </summary>
    private sealed class NotebookMetadataResolver(string notebookDirectory, NotebookRunnerOptions runnerOptions) : MetadataReferenceResolver
    {
        private readonly ScriptMetadataResolver inner = ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory);
        private readonly NotebookRunnerOptions options = runnerOptions;

        public override bool ResolveMissingAssemblies => inner.ResolveMissingAssemblies;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            inner.ResolveReference(options.MapBuildConfiguration(reference), baseFilePath, properties);

        public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
            inner.ResolveMissingAssembly(definition, referenceIdentity);

        public override bool Equals(object? other) =>
            other is NotebookMetadataResolver resolver && resolver.inner.Equals(inner) && resolver.options == options;

        public override int GetHashCode() => HashCode.Combine(inner, options);
    }
}
