using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Postgres;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>The node cache conformance on <see cref="PostgresNodeCache"/>, each test in a schema of its own, then what only it does.</summary>
public sealed class PostgresNodeCacheTests : NodeCacheConformanceTests
{
    private readonly List<string> schemas = [];
    private string schema = null!;

    [SetUp]
    public void ChooseSchema()
    {
        schema = PostgresServer.NewSchema();
        schemas.Add(schema);
    }

    [Test]
    public async Task OpenAsync_EightOpenersOfANewSchemaAtOnce_AllShareOneTable()
    {
        using var start = new Barrier(8);
        var caches = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TestGraphs.Wait);
            return await PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, schema);
        }))).WaitAsync(TestGraphs.Wait);

        await caches[0].SetAsync("n", "k", new NodeCacheEntry(new byte[] { 7 }, null));
        var read = await caches[7].GetAsync("n", "k");
        foreach (var cache in caches)
        {
            await cache.DisposeAsync();
        }

        Assert.That(read!.Value.ToArray(), Is.EqualTo(new byte[] { 7 }));
        Assert.That(await VersionRowAsync("version"), Is.EqualTo(PostgresMigrations.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the checkpoint schema's version is the store's own");
        Assert.That(await VersionRowAsync("node_cache_version"), Is.EqualTo("1"));
    }

    [Test]
    public async Task GetAsync_RowChangedInTheDatabase_IsTreatedAsAbsentAndReplacedByTheNextResult()
    {
        await using var cache = await PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, schema);
        await cache.SetAsync("n", "k", new NodeCacheEntry(new byte[] { 1, 2 }, null));

        await PostgresServer.ScalarAsync($"UPDATE {schema}.node_cache SET value = '\\x0102ff'::bytea");
        var damaged = await cache.GetAsync("n", "k");
        await cache.SetAsync("n", "k", new NodeCacheEntry(new byte[] { 3 }, null));

        Assert.That(damaged, Is.Null);
        Assert.That((await cache.GetAsync("n", "k"))!.Value.ToArray(), Is.EqualTo(new byte[] { 3 }));
    }

    [Test]
    public async Task OpenAsync_SchemaOfSomethingElseOrANewerCache_IsRefusedUntouched()
    {
        var foreign = PostgresServer.NewSchema();
        schemas.Add(foreign);
        await PostgresServer.ScalarAsync($"CREATE SCHEMA {foreign}; CREATE TABLE {foreign}.customers (id int)");
        await (await PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, schema)).DisposeAsync();
        await PostgresServer.ScalarAsync($"UPDATE {schema}.graph_schema SET value = '99' WHERE name = 'node_cache_version'");

        var notOurs = await Assert.ThrowsAsync<CheckpointStoreException>(() => PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, foreign));
        var newer = await Assert.ThrowsAsync<CheckpointStoreException>(() => PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, schema));

        Assert.That(notOurs!.Message, Does.Contain("not a Graph checkpoint store").And.Contain(foreign));
        Assert.That(newer!.Message, Does.Contain("node cache of version 99"));
        Assert.That(async () => await PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, "Bad-Name"), Throws.ArgumentException.With.Message.Contains("Bad-Name"));
        Assert.That(async () => await PostgresNodeCache.OpenAsync("Host=localhost;Nonsense=1"), Throws.ArgumentException.With.Message.Contains("connection string is invalid"));
        Assert.That(await PostgresServer.ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{foreign}'"), Is.EqualTo(1));
    }

    protected override async Task<INodeCache> OpenCacheAsync() => await PostgresNodeCache.OpenAsync(PostgresServer.ConnectionString, schema);

    protected override async Task<ICheckpointer> OpenCheckpointerAsync() => await PostgresCheckpointer.OpenAsync(PostgresServer.ConnectionString, schema);

    protected override async Task AfterDisposeAsync()
    {
        foreach (var name in schemas)
        {
            await PostgresServer.DropAsync(name);
        }

        schemas.Clear();
    }

    private Task<object?> VersionRowAsync(string name) => PostgresServer.ScalarAsync($"SELECT value FROM {schema}.graph_schema WHERE name = '{name}'");
}
