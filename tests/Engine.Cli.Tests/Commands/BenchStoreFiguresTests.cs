using System.Text.Json;
using Graph.Engine.Workloads;

namespace Graph.Cli.Tests.Commands;

public class BenchStoreFiguresTests
{
    [Test]
    public async Task RunAsync_Chain10Sqlite_ReportsTheStoresStatementsSyncsAndFileBytesPerRun()
    {
        var json = Path.Combine(Path.GetTempPath(), $"graph-bench-{Guid.NewGuid():N}.json");
        try
        {
            var run = await CliRun.RunAsync(["bench", "--quick", "--iterations", "20", "--batches", "2", "--filter", WorkloadNames.Chain10Sqlite, "--json", json]);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            Assert.That(run.Out, Does.Contain("store:"), "the table shows the store's figures");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var sqlite = document.RootElement.GetProperty(WorkloadNames.Chain10Sqlite);
            var chain10 = document.RootElement.GetProperty(WorkloadNames.Chain10);
            Assert.Multiple(() =>
            {
                // chain10 saves 11 checkpoints per run; the target is at most 10 statements per step.
                Assert.That(sqlite.GetProperty("store_statements_per_run").GetDouble(), Is.InRange(11, 110));
                Assert.That(sqlite.GetProperty("store_synced_commits_per_run").GetDouble(), Is.Zero, "Async durability never syncs a commit");
                Assert.That(sqlite.GetProperty("store_file_bytes_per_run").GetDouble(), Is.GreaterThan(0));
                Assert.That(sqlite.GetProperty("baseline_store_statements_per_run").ValueKind, Is.EqualTo(JsonValueKind.Null), "a baseline has no store");
                Assert.That(chain10.GetProperty("store_statements_per_run").ValueKind, Is.EqualTo(JsonValueKind.Null), "not selected: null");
            });
        }
        finally
        {
            File.Delete(json);
        }
    }
}
