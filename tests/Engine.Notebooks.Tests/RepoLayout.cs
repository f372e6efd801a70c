namespace Graph.Engine.Notebooks.Tests;

/// <summary>Where things are in the repository, found from the test's own folder.</summary>
internal static class RepoLayout
{
    /// <summary>The repository root: the nearest folder above the test directory that holds Graph.sln.</summary>
    public static string Root { get; } = FindRoot(TestContext.CurrentContext.TestDirectory);

    /// <summary>The committed tutorial notebooks.</summary>
    public static string NotebooksFolder => Path.Combine(Root, "notebooks");

    /// <summary>The fixture notebooks these tests run the runner against.</summary>
    public static string FixturesFolder => Path.Combine(Root, "tests", "Engine.Notebooks.Tests", "Fixtures");

    /// <summary>The fixture notebook called <paramref name="name"/>.</summary>
    public static string Fixture(string name) => Path.Combine(FixturesFolder, name);

    private static string FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Graph.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Graph.sln above {start}: the notebook tests must run inside the repository");
    }
}
