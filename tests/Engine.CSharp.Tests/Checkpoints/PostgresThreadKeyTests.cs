using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// PostgreSQL schema version 5 keys a thread's rows by an integer given in the order threads are created (as the SQLite
/// store's file format 6 does), so a run's rows append to the tables' indexes; a version 4 schema is rebuilt on open
/// with every row kept, the pending writes in their order, and rows that had no head reported as before.
/// </summary>
[TestFixture]
public sealed class PostgresThreadKeyTests
{
    private readonly PostgresSchemas schemas = new();

    [TearDown]
    public Task DropSchemas() => schemas.DropAllAsync();

    [Test]
    public async Task PutAsync_NewThreads_AreKeyedInTheOrderTheyAreCreatedAndOnlyTheHeadRowHoldsTheId()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        foreach (var thread in new[] { "z", "a", "m" })
        {
            await store.PutAsync(StoredRows.Checkpoint(thread, 1), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
            await store.PutWritesAsync(thread, 1, [StoredRows.Write("w")]).WaitAsync(Wait.Timeout);
            await store.PutAsync(StoredRows.Checkpoint(thread, 2, parent: 1), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        }

        await store.CopyThreadAsync("a", "b").WaitAsync(Wait.Timeout);

        Assert.That(await KeyOrderAsync(schema), Is.EqualTo("z,a,m,b"));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.columns WHERE table_schema = '{schema}' AND column_name = 'thread_id'"), Is.EqualTo("threads"));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM {schema}.checkpoints WHERE thread_key = {PostgresServer.ThreadKey(schema, "b")}"), Is.EqualTo(2));
        Assert.That((await store.ListAsync("b").WaitAsync(Wait.Timeout)).Select(c => (c.Id, c.PendingWrites.Count)), Is.EqualTo(new[] { (2L, 0), (1L, 1) }));
        Assert.That(await store.DeleteThreadAsync("a").WaitAsync(Wait.Timeout), Is.True);
        Assert.That(await store.GetAsync("a").WaitAsync(Wait.Timeout), Is.Null);
        Assert.That((await store.GetAsync("m").WaitAsync(Wait.Timeout))!.Id, Is.EqualTo(2));
        var report = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);
        Assert.That(report.IsConsistent, Is.True, report.ToString());
    }

    [Test]
    public async Task OpenAsync_SchemaWrittenAtVersion4_KeysEveryRowAndKeepsWriteOrderAndHeadlessRows()
    {
        var schema = schemas.New();
        await PostgresServer.CreateAtVersionAsync(
            schema,
            4,
            s => s.Put(StoredRows.Checkpoint("t", 1)),
            s => s.PutWrites("t", 1, [StoredRows.Write("c"), StoredRows.Write("a"), StoredRows.Write("b")]),
            s => s.Put(StoredRows.Checkpoint("t", 2, parent: 1)),
            s => s.PutWrites("t", 2, [StoredRows.Write("x")]),
            s => s.Put(StoredRows.Checkpoint("h", 1)),
            s => s.PutWrites("h", 1, [StoredRows.Write("w")]),
            s => s.Put(StoredRows.Checkpoint("u", 1)));
        await PostgresServer.ScalarAsync($"DELETE FROM {schema}.threads WHERE thread_id = 'h'");

        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);

        Assert.That(await PostgresServer.ScalarAsync($"SELECT value FROM {schema}.graph_schema WHERE name = 'version'"), Is.EqualTo(PostgresMigrations.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await KeyOrderAsync(schema), Is.EqualTo("t,u,h"), "threads with a head first, in the order of their ids; then rows without one");
        var t = await store.ListAsync("t").WaitAsync(Wait.Timeout);
        Assert.That(t.Select(c => (c.Id, BitConverter.ToInt32(c.State.Span))), Is.EqualTo(new[] { (2L, 2), (1L, 1) }));
        Assert.That(t.Select(c => string.Join(",", c.PendingWrites.Select(w => w.TaskId))), Is.EqualTo(new[] { "x", "c,a,b" }));
        Assert.That((await store.GetAsync("u").WaitAsync(Wait.Timeout))!.Id, Is.EqualTo(1));
        var headless = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("h").WaitAsync(Wait.Timeout));
        Assert.That(headless!.Message, Does.Contain("of thread 'h'").And.Contain("no head record"));
        Assert.That(await store.ListThreadsAsync().WaitAsync(Wait.Timeout), Is.EqualTo(new[] { "h", "t", "u" }));
        var report = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);
        Assert.That(report with { ThreadHeadMismatches = 0 }, Is.EqualTo(new CheckpointConsistencyReport(0, 0, 0, 0, 0, 0, 0)), report.ToString());
        Assert.That(report.ThreadHeadMismatches, Is.EqualTo(1), "the rows that had no head row are still reported");
        var copy = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.CopyThreadAsync("h", "h2").WaitAsync(Wait.Timeout));
        Assert.That(copy!.Message, Does.Contain("Cannot copy thread 'h': it does not exist"));

        // Writes after the migration continue each table's keys: a new pending write sorts after the copied ones.
        await store.PutWritesAsync("t", 2, [StoredRows.Write("y")]).WaitAsync(Wait.Timeout);
        await store.PutAsync(StoredRows.Checkpoint("t", 3, parent: 2), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        await store.PutAsync(StoredRows.Checkpoint("n", 1), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        Assert.That((await store.ListAsync("t").WaitAsync(Wait.Timeout)).Select(c => string.Join(",", c.PendingWrites.Select(w => w.TaskId))), Is.EqualTo(new[] { string.Empty, "x,y", "c,a,b" }));
        Assert.That(await KeyOrderAsync(schema), Is.EqualTo("t,u,h,n"));

        // The headless rows can be deleted by their thread id, which leaves the store consistent.
        Assert.That(await store.DeleteThreadAsync("h").WaitAsync(Wait.Timeout), Is.True);
        var cleaned = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);
        Assert.That(cleaned.IsConsistent, Is.True, cleaned.ToString());
    }

    /// <summary>The store's thread ids in the order of their keys.</summary>
    private static async Task<string?> KeyOrderAsync(string schema) =>
        (string?)await PostgresServer.ScalarAsync($"SELECT string_agg(thread_id, ',' ORDER BY thread_key) FROM {schema}.threads");
}
