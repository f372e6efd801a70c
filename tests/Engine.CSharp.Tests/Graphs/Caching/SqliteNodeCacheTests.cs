using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>The node cache conformance on <see cref="SqliteNodeCache"/> in a checkpoint store's file, then what only it does.</summary>
public sealed class SqliteNodeCacheTests : NodeCacheConformanceTests
{
    private string directory = null!;
    private string file = null!;

    [SetUp]
    public void CreateFolder()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        file = Path.Combine(directory, "store.db");
    }

    [Test]
    public void Open_FileOfAnotherApplication_FailsAndLeavesItUntouched()
    {
        File.WriteAllText(file, "not a database");

        Assert.That(() => SqliteNodeCache.Open(file), Throws.TypeOf<CheckpointStoreException>());
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a database"));
    }

    [Test]
    public async Task GetAsync_RowChangedInTheFile_IsTreatedAsAbsentAndReplacedByTheNextResult()
    {
        using var cache = SqliteNodeCache.Open(file);
        await cache.SetAsync("n", "k", new NodeCacheEntry(new byte[] { 1, 2 }, null));
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE node_cache SET value = x'0102ff'";
            Assert.That(damage.ExecuteNonQuery(), Is.EqualTo(1));
        }

        var damaged = await cache.GetAsync("n", "k");
        await cache.SetAsync("n", "k", new NodeCacheEntry(new byte[] { 3 }, null));

        Assert.That(damaged, Is.Null);
        Assert.That((await cache.GetAsync("n", "k"))!.Value.ToArray(), Is.EqualTo(new byte[] { 3 }));
    }

    protected override Task<INodeCache> OpenCacheAsync() => Task.FromResult<INodeCache>(SqliteNodeCache.Open(file));

    protected override Task<ICheckpointer> OpenCheckpointerAsync() => Task.FromResult<ICheckpointer>(SqliteCheckpointer.Open(file));

    protected override Task AfterDisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}
