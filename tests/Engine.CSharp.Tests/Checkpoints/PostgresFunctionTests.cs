using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// PostgreSQL schema version 6 declares the helper functions the write functions call so the server plans them once:
/// the digest functions are inlined into the statements that call them, and the single-statement writers are PL/pgSQL.
/// The digests they compute are the bytes every earlier version wrote.
/// </summary>
[TestFixture]
public sealed class PostgresFunctionTests
{
    private readonly PostgresSchemas schemas = new();

    [TearDown]
    public Task DropSchemas() => schemas.DropAllAsync();

    [Test]
    public async Task OpenAsync_NewSchema_InlinesTheDigestsAndRunsTheSmallWritersAsPlpgsql()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);

        foreach (var digest in new[] { "head_digest", "write_count_digest" })
        {
            Assert.That(await FunctionAsync(schema, digest), Is.EqualTo("sql s"), $"{digest}: STABLE, so the planner may inline it");
            var output = await ExplainedOutputAsync($"SELECT {schema}.{digest}('t', 1, 2)");
            Assert.That(output, Does.Contain("sha256").And.Not.Contain(digest), $"{digest} is inlined into the statement that calls it");
        }

        Assert.That(await FunctionAsync(schema, "set_write_count"), Is.EqualTo("plpgsql v"));
        Assert.That(await FunctionAsync(schema, "put_shared"), Is.EqualTo("plpgsql v"));
    }

    [Test]
    public async Task OpenAsync_SchemaWrittenAtVersion5_WritesOnWithTheSameDigests()
    {
        var schema = schemas.New();
        await PostgresServer.CreateAtVersionAsync(
            schema,
            5,
            s => s.Put(StoredRows.Checkpoint("t", 1)),
            s => s.PutWrites("t", 1, [StoredRows.Write("a"), StoredRows.Write("b")]),
            s => s.Put(StoredRows.Checkpoint("t", 2, parent: 1)),
            s => s.PutWrites("t", 2, [StoredRows.Write("c")]));
        var headBefore = await PostgresServer.ScalarAsync($"SELECT encode(digest, 'hex') FROM {schema}.threads WHERE thread_id = 't'");
        var countBefore = await PostgresServer.ScalarAsync($"SELECT encode(digest, 'hex') FROM {schema}.write_counts");

        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);

        Assert.That(await PostgresServer.ScalarAsync($"SELECT value FROM {schema}.graph_schema WHERE name = 'version'"), Is.EqualTo(PostgresMigrations.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await FunctionAsync(schema, "head_digest"), Is.EqualTo("sql s"));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT encode({schema}.head_digest('t', 2, 1), 'hex')"), Is.EqualTo(headBefore), "the head digest the version 5 function wrote");
        Assert.That(await PostgresServer.ScalarAsync($"SELECT encode({schema}.write_count_digest('t', 1, 2), 'hex')"), Is.EqualTo(countBefore), "the write-count digest the version 5 function wrote");

        // The new functions write on: a write count, a head, a shared record; the reader and the checker verify them.
        await store.PutWritesAsync("t", 1, [StoredRows.Write("d")]).WaitAsync(Wait.Timeout);
        await store.PutAsync(StoredRows.Checkpoint("t", 3, parent: 2), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        await store.PutWritesAsync("t", 3, [StoredRows.Write("e")]).WaitAsync(Wait.Timeout);
        var history = await store.ListAsync("t").WaitAsync(Wait.Timeout);
        Assert.That(history.Select(c => string.Join(",", c.PendingWrites.Select(w => w.TaskId))), Is.EqualTo(new[] { "e", "c", "a,b,d" }));
        var report = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);
        Assert.That(report.IsConsistent, Is.True, report.ToString());
    }

    /// <summary>The language and volatility of function <paramref name="name"/> in <paramref name="schema"/>, as "sql s".</summary>
    private static async Task<object?> FunctionAsync(string schema, string name) => await PostgresServer.ScalarAsync(
        $"SELECT l.lanname || ' ' || p.provolatile::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang WHERE n.nspname = '{schema}' AND p.proname = '{name}'");

    /// <summary>The plan of <paramref name="sql"/> with its output expressions (<c>EXPLAIN (VERBOSE, FORMAT JSON)</c>).</summary>
    private static async Task<string> ExplainedOutputAsync(string sql) =>
        Convert.ToString(await PostgresServer.ScalarAsync($"EXPLAIN (VERBOSE, FORMAT JSON) {sql}"), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
