using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Sqlite;
using Npgsql;

namespace Graph.Cli.Tests.Commands;

/// <summary>
/// The store commands against a PostgreSQL store (a schema of its own per test) holding what the demo wrote: thread
/// "done" (finished) and "waiting" (interrupted), copied from a demo file. Needs GRAPH_TEST_POSTGRES
/// (<c>bash .ci/postgres.sh run -- dotnet test …</c>); skipped without it, except on CI.
/// </summary>
public class PostgresCommandTests
{
    private TempFolder folder = null!;
    private string schema = null!;
    private string db = null!;

    [SetUp]
    public async Task SetUp()
    {
        var server = Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            const string missing = "PostgreSQL tests need GRAPH_TEST_POSTGRES; run: bash .ci/postgres.sh run -- dotnet test Graph.sln";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(missing + " (on CI a missing server is a failure)");
            }

            Assert.Ignore(missing);
        }

        folder = new TempFolder();
        var file = folder.File("demo.db");
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", file, "--thread", "done"));
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", file, "--thread", "waiting", "--no-resume"));
        schema = "cli_" + Guid.NewGuid().ToString("N");
        db = $"{server};Search Path={schema}";
        await using var source = SqliteCheckpointer.Open(file);
        await using var target = await PostgresCheckpointer.OpenAsync(server!, schema);
        foreach (var thread in await source.ListThreadsAsync())
        {
            foreach (var checkpoint in (await source.ListAsync(thread)).Reverse())
            {
                await target.PutAsync(checkpoint, CheckpointDurability.PerStepSync);
            }
        }
    }

    [TearDown]
    public async Task TearDown()
    {
        folder?.Dispose();
        if (schema is not null)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task ThreadsHistoryState_PostgresStore_ShowWhatTheFileShows()
    {
        var file = folder.File("demo.db");

        foreach (var args in new[] { new[] { "threads" }, ["history", "--thread", "done"], ["state", "--thread", "waiting"] })
        {
            var fromFile = await CliRun.RunAsync([args[0], "--db", file, .. args[1..]]);
            var fromPostgres = await CliRun.RunAsync([args[0], "--db", db, .. args[1..]]);

            CliAssert.Ok(fromPostgres);
            if (args[0] != "state")
            {
                Assert.That(fromPostgres.Out, Does.Contain($"PostgreSQL ").And.Contain($"schema {schema}"), args[0]);
            }

            Assert.That(Body(fromPostgres.Out), Is.EqualTo(Body(fromFile.Out)), args[0]);
        }
    }

    [Test]
    public async Task PruneThenResume_PostgresStore_KeepsTheWaitingThreadResumable()
    {
        var prune = await CliRun.RunAsync("prune", "--db", db, "--keep", "2");
        var resume = await CliRun.RunAsync("resume", "--db", db, "--thread", "waiting", "--value", "yes");
        var history = await CliRun.RunAsync("history", "--db", db, "--thread", "waiting");

        CliAssert.Ok(prune);
        Assert.That(prune.Out, Does.Contain("deleted 6 checkpoint(s) of 2 thread(s)"));
        CliAssert.Ok(resume);
        CliAssert.Ok(history);
        Assert.That(history.Out, Does.Contain("latest: finished"));
    }

    [Test]
    public async Task Compact_PostgresStore_ChecksReferencesAndVacuums()
    {
        CliAssert.Ok(await CliRun.RunAsync("prune", "--db", db, "--keep", "1"));

        var run = await CliRun.RunAsync("compact", "--db", db);

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain($"compacted PostgreSQL").And.Contain($"schema {schema}").And.Contain("references checked"));
    }

    [Test]
    public async Task Threads_SchemaWithoutAStore_FailsAndCreatesNothing()
    {
        var empty = "cli_" + Guid.NewGuid().ToString("N");

        var run = await CliRun.RunAsync("threads", "--db", $"{Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES")};Search Path={empty}");

        CliAssert.OneLineError(run, ExitCodes.StoreError, $"schema '{empty}' holds no Graph checkpoint store; nothing was created.");
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_namespace WHERE nspname = '{empty}'", connection);
        Assert.That(await exists.ExecuteScalarAsync(), Is.Zero);
    }

    [Test]
    public async Task History_MalformedConnectionString_IsAUsageError()
    {
        var run = await CliRun.RunAsync("history", "--db", "Host=localhost;Frobnicate=1", "--thread", "t");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("--db looks like a PostgreSQL connection string but is not a valid one"));
    }

    /// <summary>The output without the lines that name the store.</summary>
    private static string[] Body(string output) =>
        [.. output.Split('\n').Where(line => !line.Contains(" in ", StringComparison.Ordinal) && !line.Contains("thread(s)", StringComparison.Ordinal))];
}
