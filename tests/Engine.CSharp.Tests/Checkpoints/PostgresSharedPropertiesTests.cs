using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// PostgreSQL schema version 4 stores the metadata every checkpoint of a graph records alike once, in
/// <c>shared_properties</c>, as the SQLite store's file format 7 does: it reads back whole, is checked against its hash,
/// and a missing record is damage the consistency check counts; a version 3 schema's rows keep reading.
/// </summary>
[TestFixture]
public sealed class PostgresSharedPropertiesTests
{
    private readonly PostgresSchemas schemas = new();

    [TearDown]
    public Task DropSchemas() => schemas.DropAllAsync();

    [Test]
    public async Task InvokeAsync_RunsOfOneGraph_StoreItsPropertiesOnceAndReadThemBackWhole()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await using var compiled = Chain(store, 12);
        for (var run = 0; run < 3; run++)
        {
            Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = $"t{run}" }).WaitAsync(Wait.Timeout), Is.EqualTo(12));
        }

        var latest = (await store.GetAsync("t2").WaitAsync(Wait.Timeout))!.Metadata.Properties;
        Assert.That(latest.Keys, Is.EquivalentTo(new[] { "run_id", "graph", "graph.nodes", "graph.update" }));
        Assert.That(latest["graph.nodes"].Split('\n'), Is.EqualTo(Enumerable.Range(0, 12).Select(i => $"n{i}").Order(StringComparer.Ordinal)));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM {schema}.shared_properties"), Is.EqualTo(1L));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM {schema}.checkpoints WHERE position('graph.'::bytea IN metadata) > 0"), Is.Zero);
        Assert.That((await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout)).IsConsistent, Is.True);
    }

    [Test]
    public async Task GetAsync_SharedPropertiesEditedOrDeleted_ThrowsNamingThreadAndCheckpoint()
    {
        var schema = schemas.New();
        await using var store = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await using (var compiled = Chain(store, 3))
        {
            await compiled.InvokeAsync(0, new RunOptions { ThreadId = "t" }).WaitAsync(Wait.Timeout);
        }

        await PostgresServer.ScalarAsync($"UPDATE {schema}.shared_properties SET data = overlay(data PLACING 'X'::bytea FROM length(data))");
        var edited = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t").WaitAsync(Wait.Timeout));
        await PostgresServer.ScalarAsync($"DELETE FROM {schema}.shared_properties");
        var deleted = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t", 2).WaitAsync(Wait.Timeout));
        var report = await store.CheckConsistencyAsync().WaitAsync(Wait.Timeout);

        Assert.That(edited!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("do not match their hash"));
        Assert.That(deleted!.Message, Does.Contain("Checkpoint 2 of thread 't'").And.Contain("are missing"));
        Assert.That(report.MissingSharedProperties, Is.EqualTo(4));
    }

    [Test]
    public async Task OpenAsync_SchemaWrittenAtVersion3_MigratesAndReadsOldAndNewRows()
    {
        var schema = schemas.New();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["run_id"] = "r1", ["graph"] = "G", ["graph.nodes"] = "a\nb" };
        var old = new Checkpoint { ThreadId = "old", Id = 1, Step = 0, StateType = "int", State = new byte[] { 1 }, CreatedAt = DateTimeOffset.UnixEpoch, Metadata = new CheckpointMetadata { Source = CheckpointSource.Input, Properties = properties } };
        await PostgresServer.CreateAtVersionAsync(schema, 3, s => s.Put(old));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT to_regclass('{schema}.shared_properties')::text"), Is.Null, "written at version 3");

        await using var migrated = await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);
        await using var compiled = Chain(migrated, 2);
        await compiled.InvokeAsync(0, new RunOptions { ThreadId = "new" }).WaitAsync(Wait.Timeout);

        Assert.That(await PostgresServer.ScalarAsync($"SELECT value FROM {schema}.graph_schema WHERE name = 'version'"), Is.EqualTo(PostgresMigrations.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That((await migrated.GetAsync("old").WaitAsync(Wait.Timeout))!.Metadata.Properties, Is.EquivalentTo(properties));
        Assert.That((await migrated.GetAsync("new").WaitAsync(Wait.Timeout))!.Metadata.Properties["graph.nodes"], Is.EqualTo("n0\nn1"));
        Assert.That((await migrated.CheckConsistencyAsync().WaitAsync(Wait.Timeout)).IsConsistent, Is.True);
    }

    private static CompiledGraph<int, int> Chain(ICheckpointer store, int length) =>
        TestGraphs.Chain(length).Compile(GraphCompileOptions.Default with { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
}
