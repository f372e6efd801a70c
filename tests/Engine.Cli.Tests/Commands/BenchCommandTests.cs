using System.Text.Json;
using Graph.Engine.Workloads;

namespace Graph.Cli.Tests.Commands;

public class BenchCommandTests
{
    private static readonly string[] RequiredKeys = ["us_per_run", "bytes_per_run", "runs_per_s", "baseline_us_per_run"];

    // Cheap settings: a fixed iteration count skips warmup and calibration.
    private static readonly string[] Cheap = ["--quick", "--iterations", "20", "--batches", "2"];

    [Test]
    public async Task RunAsync_QuickJsonWithFilter_WritesEveryWorkloadWithExpectedKeys()
    {
        var json = Path.Combine(Path.GetTempPath(), $"graph-bench-{Guid.NewGuid():N}.json");
        try
        {
            var run = await CliRun.RunAsync(["bench", .. Cheap, "--filter", "chain1,fanout10-join", "--json", json]);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = document.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(WorkloadNames.All));
                foreach (var workload in root.EnumerateObject())
                {
                    foreach (var key in RequiredKeys)
                    {
                        Assert.That(workload.Value.TryGetProperty(key, out _), Is.True, $"{workload.Name}.{key}");
                    }
                }

                var chain1 = root.GetProperty(WorkloadNames.Chain1);
                Assert.That(chain1.GetProperty("baseline_us_per_run").GetDouble(), Is.GreaterThan(0));
                Assert.That(chain1.GetProperty("baseline_bytes_per_run").GetDouble(), Is.GreaterThanOrEqualTo(0));
                Assert.That(chain1.GetProperty("baseline").GetString(), Is.EqualTo("ActionBlock"));
                Assert.That(chain1.GetProperty("us_per_run").GetDouble(), Is.GreaterThan(0), "engine figure");
                Assert.That(root.GetProperty(WorkloadNames.Chain10Sqlite).GetProperty("us_per_run").ValueKind, Is.EqualTo(JsonValueKind.Null), "not selected: null, never faked");
                Assert.That(chain1.GetProperty("langgraph_us_per_run").GetDouble(), Is.EqualTo(734));
                Assert.That(chain1.GetProperty("baselines").TryGetProperty("direct async", out _), Is.True);
                Assert.That(root.GetProperty(WorkloadNames.Fanout10Join).GetProperty("baseline_us_per_run").GetDouble(), Is.GreaterThan(0));
                Assert.That(root.GetProperty(WorkloadNames.Hop).GetProperty("baseline_ns_per_msg").ValueKind, Is.EqualTo(JsonValueKind.Null), "not selected: null");
            });
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Test]
    public async Task RunAsync_QuickJsonGraphWorkloads_HasEngineFiguresForEveryGraphWorkload()
    {
        var json = Path.Combine(Path.GetTempPath(), $"graph-bench-{Guid.NewGuid():N}.json");
        string[] graphWorkloads = [WorkloadNames.Chain1, WorkloadNames.Chain10, WorkloadNames.Chain100, WorkloadNames.Fanout10Join, WorkloadNames.MapReduce100];
        try
        {
            var run = await CliRun.RunAsync(["bench", "--quick", "--iterations", "3", "--batches", "1", "--filter", string.Join(',', [.. graphWorkloads, WorkloadNames.Chain10X1000]), "--json", json]);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = document.RootElement;
            Assert.Multiple(() =>
            {
                foreach (var name in graphWorkloads)
                {
                    var workload = root.GetProperty(name);
                    Assert.That(workload.GetProperty("us_per_run").GetDouble(), Is.GreaterThan(0), $"{name}.us_per_run");
                    Assert.That(workload.GetProperty("bytes_per_run").GetDouble(), Is.GreaterThan(0), $"{name}.bytes_per_run");
                    Assert.That(workload.GetProperty("baseline_us_per_run").GetDouble(), Is.GreaterThan(0), $"{name}.baseline_us_per_run");
                    Assert.That(workload.GetProperty("ratio").ValueKind, Is.EqualTo(JsonValueKind.Number), $"{name}.ratio: present, whatever its size");
                    Assert.That(workload.GetProperty("target_met").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False), $"{name}.target_met");
                }

                var x1000 = root.GetProperty(WorkloadNames.Chain10X1000);
                Assert.That(x1000.GetProperty("runs_per_s").GetDouble(), Is.GreaterThan(0));
                Assert.That(x1000.GetProperty("bytes_per_run").GetDouble(), Is.GreaterThan(0));
                Assert.That(x1000.GetProperty("target_met").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
            });
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Test]
    public async Task RunAsync_FilterCheckpointedWithoutChain10_MeasuresEngineButNotTheTarget()
    {
        var run = await CliRun.RunAsync(["bench", .. Cheap, "--filter", "chain10-checkpointed"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            var row = run.Out.Split('\n').Single(line => line.Contains("│ chain10-checkpointed ", StringComparison.Ordinal));
            Assert.That(row, Does.Not.Contain("n/a"), "engine column: the checkpointed chain is wired");
            Assert.That(row, Does.Contain("us/run"));
            Assert.That(row, Does.Contain("ActionBlock:"));
            Assert.That(row, Does.Contain("not measured"));
        });
    }

    [Test]
    public async Task RunAsync_Filter_PrintsTableWithBaselinePeerAndTarget()
    {
        var run = await CliRun.RunAsync(["bench", .. Cheap, "--filter", "chain1"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            Assert.That(run.Error, Is.Empty);
            var row = run.Out.Split('\n').Single(line => line.Contains("│ chain1 ", StringComparison.Ordinal));
            Assert.That(row, Does.Not.Contain("n/a"), "engine column and ratio");
            Assert.That(row, Does.Contain("ActionBlock:").And.Contain("us/run").And.Contain("B/run"));
            Assert.That(row, Does.Contain("734 us/run"), "LangGraph.js figure");
            Assert.That(row, Does.Contain("<= 5 us/run"));
            Assert.That(row, Does.Match("│ (met|missed) *│"), "verdict");
            Assert.That(run.Out, Does.Contain("direct async:"), "secondary baseline row");
            Assert.That(run.Out, Does.Not.Contain("│ chain10 "), "filtered out");
        });
    }

    [Test]
    public async Task RunAsync_FilterMatchingNothing_WritesOneLineUsageError()
    {
        var run = await CliRun.RunAsync(["bench", .. Cheap, "--filter", "nope"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain("no workload matches 'nope'"));
        });
    }

    [Test]
    public async Task RunAsync_JsonInMissingFolder_WritesOneLineFileError()
    {
        var json = Path.Combine(Path.GetTempPath(), $"graph-missing-{Guid.NewGuid():N}", "out.json");

        var run = await CliRun.RunAsync(["bench", .. Cheap, "--filter", "chain1", "--json", json]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.FileError));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain("not found"));
        });
    }

    [TestCase("0")]
    [TestCase("many")]
    public async Task RunAsync_InvalidIterations_WritesOneLineUsageError(string iterations)
    {
        var run = await CliRun.RunAsync("bench", "--iterations", iterations);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_Help_PointsToThePerformanceDocInTheRepository()
    {
        var run = await CliRun.RunAsync("bench", "--help");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            Assert.That(run.Out, Does.Contain("docs/performance.md"));
            Assert.That(run.Out, Does.Not.Contain("PERFORMANCE.md"), "not a file of the repository");
            Assert.That(File.Exists(Path.Combine(RepositoryRoot(), "docs", "performance.md")), Is.True);
        });
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Graph.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Graph.sln not found above the test directory.");
    }
}
