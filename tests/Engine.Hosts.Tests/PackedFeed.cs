namespace Graph.Engine.Hosts.Tests;

/// <summary>
/// Once for all host tests: packs the libraries, as built, into a folder feed under a fresh temp folder outside the
/// repository (so its Directory.Build.props, Directory.Packages.props and global.json do not apply), with a version
/// unique to this run so the global packages folder never serves bits of an earlier run. The folder's nuget.config
/// adds the feed to the user's own sources.
/// </summary>
[SetUpFixture]
public sealed class PackedFeed
{
    private static readonly string[] Libraries =
    [
        "Graph.Engine", "Graph.Engine.FSharp", "Graph.Engine.Sqlite", "Graph.Engine.OpenTelemetry", "Graph.Engine.Postgres", "Graph.Engine.Orleans", "Graph.Engine.Testing", "Graph.Engine.FSharp.Testing",
    ];

    private static readonly string[] Projects =
    [
        "src/Engine.CSharp/Engine.CSharp.csproj", "src/Engine.FSharp/Engine.FSharp.fsproj", "src/Engine.Sqlite/Engine.Sqlite.csproj", "src/Engine.OpenTelemetry/Engine.OpenTelemetry.csproj",
        "src/Engine.Postgres/Engine.Postgres.csproj", "src/Engine.Orleans/Engine.Orleans.csproj", "src/Engine.Testing/Engine.Testing.csproj",
        "src/Engine.FSharp.Testing/Engine.FSharp.Testing.fsproj",
    ];

    private static string? root;

    /// <summary>How long one restore, build or pack may take on a loaded machine.</summary>
    internal static TimeSpan BuildTimeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The version every package of this run has.</summary>
    internal static string Version { get; } = $"0.0.0-host.{DateTime.UtcNow.Ticks}";

    /// <summary>The temp folder of this run: the feed, the nuget.config and one folder per host app.</summary>
    internal static string Root => root ?? throw new InvalidOperationException("the packed feed is made in OneTimeSetUp");

    /// <summary>The folder feed holding the packed libraries.</summary>
    internal static string Feed => Path.Combine(Root, "feed");

    /// <summary>A new empty folder under <see cref="Root"/>.</summary>
    internal static string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    [OneTimeSetUp]
    public async Task PackAsync()
    {
        root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"graph-hosts-{Guid.NewGuid():N}")).FullName;
        Directory.CreateDirectory(Feed);
        await File.WriteAllTextAsync(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="graph-host-tests" value="{Feed}" />
              </packageSources>
            </configuration>
            """);

        var packs = Projects.Select(project => DotnetProcess.RunAsync(RepoLayout.Root, BuildTimeout,
            "pack", project, "--no-build", "-c", RepoLayout.Configuration, "-o", Feed, $"-p:Version={Version}", "-tl:off"));
        foreach (var pack in await Task.WhenAll(packs))
        {
            Assert.That(pack.ExitCode, Is.Zero, pack.Describe());
        }

        foreach (var library in Libraries)
        {
            Assert.That(File.Exists(Path.Combine(Feed, $"{library}.{Version}.nupkg")), Is.True, $"{library}.{Version}.nupkg is in the feed");
        }
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (root is not null && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        // This run's version is in no other feed: take it out of the global packages folder again.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var library in Libraries)
        {
            var folder = Path.Combine(packages, library.ToLowerInvariant(), Version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
