using System.Reflection;

namespace Graph.Engine.Hosts.Tests;

/// <summary>Where the repository is and which configuration these tests (and so the libraries) were built in.</summary>
internal static class RepoLayout
{
    /// <summary>The repository root: the nearest folder above the test directory that holds Graph.sln.</summary>
    public static string Root { get; } = FindRoot(TestContext.CurrentContext.TestDirectory);

    /// <summary>The build configuration of this test assembly (Debug or Release); the libraries are packed from the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepoLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("the test assembly has no AssemblyConfiguration attribute");

    /// <summary>A file or folder of the repository, from a path relative to the root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Graph.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Graph.sln above {start}: the host tests must run inside the repository");
    }
}
