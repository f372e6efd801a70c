using System.Text.RegularExpressions;

namespace Graph.Engine.Hosts.Tests;

/// <summary>The F# script of docs/fsharp.md, with one <c>#r</c> line, run by <c>dotnet fsi</c> against the packed packages.</summary>
public partial class ScriptHostTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    [Test]
    public async Task FSharpScript_DocumentedForm_LoadsThePackageWithOneReferenceAndPrintsTotal()
    {
        var documented = ReadmeExamples.FirstIn("docs/fsharp.md", "fsx");
        var script = Reference().Replace(Source().Replace(documented, $"#i \"nuget: {PackedFeed.Feed}\""), $"#r \"nuget: Graph.Engine.FSharp, {PackedFeed.Version}\"");
        Assert.That(script.Split('\n').Count(line => line.StartsWith("#r ", StringComparison.Ordinal)), Is.EqualTo(1), script);

        var folder = PackedFeed.NewFolder("fsharp-script");
        await File.WriteAllTextAsync(Path.Combine(folder, "graph.fsx"), script);
        var run = await DotnetProcess.RunAsync(folder, ScriptTimeout, "fsi", "graph.fsx");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Describe());
            Assert.That(run.Output, Does.Contain("total 12"), run.Describe());
        });
    }

    [GeneratedRegex("^#i \"nuget: [^\"]*\"", RegexOptions.Multiline)]
    private static partial Regex Source();

    [GeneratedRegex("^#r \"nuget: Graph\\.Engine\\.FSharp[^\"]*\"", RegexOptions.Multiline)]
    private static partial Regex Reference();
}
