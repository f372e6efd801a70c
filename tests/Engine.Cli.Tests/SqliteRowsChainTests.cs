using Graph.Engine.Workloads.Baselines;
using Microsoft.Data.Sqlite;

namespace Graph.Cli.Tests;

public class SqliteRowsChainTests
{
    private const string Template = "template";
    private const string CheckpointColumns =
        "id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes, digest, state";

    private const string TemplateKey = $"(SELECT thread_key FROM threads WHERE thread_id = '{Template}')";

    [Test]
    public async Task RunAsync_ThreeRuns_InsertsTheTemplateRunsRowsUnderANewThreadEach()
    {
        var workload = new SqliteRowsChain();
        await workload.SetupAsync(CancellationToken.None);
        try
        {
            await workload.RunAsync(3, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = workload.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            Assert.Multiple(() =>
            {
                Assert.That(workload.RowsPerRun["checkpoints"], Is.EqualTo(11), "chain10 saves its input and each of its ten steps");
                Assert.That(workload.RowsPerRun["writes"], Is.EqualTo(10), "one write per step");
                Assert.That(workload.RowsPerRun["threads"], Is.EqualTo(1));
                foreach (var (table, rows) in workload.RowsPerRun)
                {
                    Assert.That(Count(connection, $"SELECT count(*) FROM {table}"), Is.EqualTo(4 * rows), $"{table}: the template's rows and three copies");
                    Assert.That(Count(connection, $"SELECT count(DISTINCT thread_key) FROM {table}"), Is.EqualTo(rows == 0 ? 0 : 4), $"{table}: a thread key per run");
                    Assert.That(
                        Count(connection, $"SELECT count(*) FROM {table} WHERE thread_key NOT IN (SELECT thread_key FROM threads)"),
                        Is.Zero,
                        $"{table}: every row's key is a thread's");
                }

                Assert.That(Count(connection, "SELECT count(DISTINCT thread_id) FROM threads"), Is.EqualTo(4), "a thread id per run");
                Assert.That(
                    Count(connection, $"SELECT count(*) FROM (SELECT {CheckpointColumns} FROM checkpoints WHERE thread_key <> {TemplateKey} EXCEPT SELECT {CheckpointColumns} FROM checkpoints WHERE thread_key = {TemplateKey})"),
                    Is.Zero,
                    "each copy is the template's checkpoints but for the thread");
            });
        }
        finally
        {
            await workload.TeardownAsync();
        }

        Assert.That(File.Exists(workload.Path), Is.False, "the file is deleted at teardown");
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
