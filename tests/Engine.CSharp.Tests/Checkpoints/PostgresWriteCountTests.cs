using Graph.Engine.Checkpoints;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;
using Npgsql;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// PostgreSQL schema version 3 counts the pending writes of older checkpoints, so one that vanishes from the database is
/// reported on read (as the SQLite store's file format 4 does); a version 2 schema gets the counts when opened.
/// </summary>
[TestFixture]
public sealed class PostgresWriteCountTests
{
    private readonly PostgresSchemas schemas = new();

    [TearDown]
    public Task DropSchemas() => schemas.DropAllAsync();

    [Test]
    public async Task GetAsync_PendingWriteOfAnOlderCheckpointGone_ThrowsNamingThatCheckpoint()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await WriteThreadAsync(store);
        await PostgresServer.ScalarAsync($"DELETE FROM {schema}.writes WHERE thread_key = {PostgresServer.ThreadKey(schema, "t")} AND checkpoint_id = 2");

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t", 2).WaitAsync(Wait.Timeout));

        Assert.That(exception!.Message, Does.Contain("Checkpoint 2 of thread 't'").And.Contain("0 pending write(s) where 1 were recorded"));
        Assert.That(async () => await store.ListAsync("t").WaitAsync(Wait.Timeout), Throws.InstanceOf<CheckpointStoreException>());
        Assert.That((await store.GetAsync("t", 3).WaitAsync(Wait.Timeout))!.PendingWrites, Has.Count.EqualTo(1), "the other checkpoints still read");
    }

    [Test]
    public async Task WriteCounts_FollowWritesCopyRollbackPruneAndDeletion_EveryReadStaysWhole()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await WriteThreadAsync(store);
        await store.PutWritesAsync("t", 1, [StoredRows.Write("late"), StoredRows.Write("later")]).WaitAsync(Wait.Timeout);
        await store.PutWritesAsync("t", 1, [StoredRows.Write("late")]).WaitAsync(Wait.Timeout);
        await store.CopyThreadAsync("t", "copy").WaitAsync(Wait.Timeout);

        Assert.That((await store.ListAsync("copy").WaitAsync(Wait.Timeout)).Select(c => c.PendingWrites.Count), Is.EqualTo(new[] { 1, 1, 2 }));
        Assert.That(await CountsAsync(schema, "copy"), Is.EqualTo("1:2,2:1"));

        await ((ICheckpointRollback)store).DeleteNewerThanAsync("t", 2, CancellationToken.None).WaitAsync(Wait.Timeout);
        Assert.That(await CountsAsync(schema, "t"), Is.EqualTo("1:2"), "checkpoint 2 is the latest again: its head row counts its writes");
        await store.PutAsync(StoredRows.Checkpoint("t", 4, parent: 2), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        Assert.That(await CountsAsync(schema, "t"), Is.EqualTo("1:2,2:1"));

        Assert.That(await ((ICheckpointDeletion)store).DeleteCheckpointsAsync("t", [2], CancellationToken.None).WaitAsync(Wait.Timeout), Is.EqualTo(1));
        Assert.That(await CountsAsync(schema, "t"), Is.EqualTo("1:2"));
        Assert.That(await store.PruneAsync("copy", 1).WaitAsync(Wait.Timeout), Is.EqualTo(2));
        Assert.That(await CountsAsync(schema, "copy"), Is.Empty);
        Assert.That((await store.ListAsync("t").WaitAsync(Wait.Timeout)).Select(c => (c.Id, c.PendingWrites.Count)), Is.EqualTo(new[] { (4L, 0), (1L, 2) }));
        await store.DeleteThreadAsync("t").WaitAsync(Wait.Timeout);
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM {schema}.write_counts"), Is.Zero);
        var report = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);
        Assert.That(report.IsConsistent, Is.True, report.ToString());
    }

    [Test]
    public async Task OpenAsync_SchemaWrittenAtVersion2_MigratesThroughVersion3AndCountsTheOlderWrites()
    {
        var schema = schemas.New();
        await PostgresServer.CreateAtVersionAsync(
            schema,
            2,
            s => s.Put(StoredRows.Checkpoint("t", 1)),
            s => s.Put(StoredRows.Checkpoint("t", 2, parent: 1)),
            s => s.PutWrites("t", 2, [StoredRows.Write("a")]),
            s => s.Put(StoredRows.Checkpoint("t", 3, parent: 2)),
            s => s.PutWrites("t", 3, [StoredRows.Write("b")]),
            s => s.PutWrites("t", 1, [StoredRows.Write("c"), StoredRows.Write("d")]));

        Assert.That(await PostgresServer.ScalarAsync($"SELECT to_regclass('{schema}.write_counts')::text"), Is.Null, "written at version 2");

        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);

        Assert.That(await PostgresServer.ScalarAsync($"SELECT value FROM {schema}.graph_schema WHERE name = 'version'"), Is.EqualTo(PostgresMigrations.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await CountsAsync(schema, "t"), Is.EqualTo("1:2,2:1"));
        Assert.That((await store.ListAsync("t").WaitAsync(Wait.Timeout)).Select(c => c.PendingWrites.Count), Is.EqualTo(new[] { 1, 1, 2 }));
        await PostgresServer.ScalarAsync($"DELETE FROM {schema}.writes WHERE thread_key = {PostgresServer.ThreadKey(schema, "t")} AND checkpoint_id = 1 AND task_id = 'c'");
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t", 1).WaitAsync(Wait.Timeout));
        Assert.That(exception!.Message, Does.Contain("Checkpoint 1 of thread 't'").And.Contain("1 pending write(s) where 2 were recorded"));
    }

    [Test]
    public async Task GetAsync_WriteCountRecordEdited_ThrowsNamingTheRecord()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await WriteThreadAsync(store);
        await PostgresServer.ScalarAsync($"UPDATE {schema}.write_counts SET writes = 0 WHERE thread_key = {PostgresServer.ThreadKey(schema, "t")} AND checkpoint_id = 2");

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t", 2).WaitAsync(Wait.Timeout));

        Assert.That(exception!.Message, Does.Contain("Checkpoint 2 of thread 't'").And.Contain("pending-write count record does not match its digest"));
    }

    private static async Task WriteThreadAsync(PostgresCheckpointer store)
    {
        await store.PutAsync(StoredRows.Checkpoint("t", 1), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        await store.PutAsync(StoredRows.Checkpoint("t", 2, parent: 1), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        await store.PutWritesAsync("t", 2, [StoredRows.Write("a")]).WaitAsync(Wait.Timeout);
        await store.PutAsync(StoredRows.Checkpoint("t", 3, parent: 2), CheckpointDurability.PerStepSync).WaitAsync(Wait.Timeout);
        await store.PutWritesAsync("t", 3, [StoredRows.Write("b")]).WaitAsync(Wait.Timeout);
    }

    /// <summary>The thread's write-count records as <c>checkpoint:writes</c>, oldest first.</summary>
    private static async Task<string> CountsAsync(string schema, string thread) =>
        (string?)await PostgresServer.ScalarAsync(
            $"SELECT string_agg(checkpoint_id || ':' || writes, ',' ORDER BY checkpoint_id) FROM {schema}.write_counts WHERE thread_key = {PostgresServer.ThreadKey(schema, thread)}") ?? string.Empty;
}
