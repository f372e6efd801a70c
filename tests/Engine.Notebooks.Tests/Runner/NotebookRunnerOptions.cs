using System.Reflection;
using System.Text.RegularExpressions;

namespace Graph.Engine.Notebooks.Tests.Runner;

/// <summary>Settings for <see cref="NotebookRunner"/>.</summary>
public sealed record NotebookRunnerOptions
{
    /// <summary>The longest a single cell may run. A cold kernel compiles its first cells slowly on a busy machine.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>The longest the kernel may take from process start to its <c>KernelReady</c> event.</summary>
    public TimeSpan KernelStartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The build configuration whose output the notebooks' <c>#r</c> paths should load. Notebooks are
    /// written against <c>bin/Debug/</c>; any other value rewrites that path segment (so a Release CI run
    /// loads the Release DLLs its ProjectReferences just built). Defaults to the configuration this test
    /// assembly was built with.
    /// </summary>
    public string Configuration { get; init; } = TestAssemblyConfiguration;

    /// <summary>The configuration this test assembly was built with (<c>Debug</c> when unknown).</summary>
    public static string TestAssemblyConfiguration { get; } =
        typeof(NotebookRunnerOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    /// <summary>Rewrites a <c>bin/Debug/</c> path segment to <see cref="Configuration"/>.</summary>
    public string MapBuildConfiguration(string path) =>
        Configuration == "Debug"
            ? path
            : Regex.Replace(path, @"(^|[/\\])bin([/\\])Debug([/\\]|$)", m => $"{m.Groups[1].Value}bin{m.Groups[2].Value}{Configuration}{m.Groups[3].Value}");
}
