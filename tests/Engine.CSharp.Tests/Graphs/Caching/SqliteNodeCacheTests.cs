using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>The SQLite node cache lives in the checkpoint store's file and survives a reopen.</summary>
public class SqliteNodeCacheTests
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

    [TearDown]
    public void DeleteFolder() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task InvokeAsync_AfterTheStoreIsReopened_StillACacheHit()
    {
        var calls = 0;
        await using (var store = SqliteCheckpointer.Open(file))
        using (var cache = SqliteNodeCache.Open(file))
        {
            await using var compiled = NodeCacheTests.Doubler(() => calls++, new CachePolicy()).Compile(new GraphCompileOptions { Checkpointer = store, NodeCache = cache });
            Assert.That(await compiled.InvokeAsync(21, new RunOptions { ThreadId = "a" }).Bounded(), Is.EqualTo(42));
        }

        await using (var store = SqliteCheckpointer.Open(file))
        using (var cache = SqliteNodeCache.Open(file))
        {
            await using var compiled = NodeCacheTests.Doubler(() => calls++, new CachePolicy()).Compile(new GraphCompileOptions { Checkpointer = store, NodeCache = cache });
            var events = await CollectAsync(compiled.StreamAsync(21, new RunOptions { ThreadId = "b" }));
            var snapshot = await compiled.GetStateAsync("b");

            Assert.Multiple(() =>
            {
                Assert.That(calls, Is.EqualTo(1), "the second process found the first one's result");
                Assert.That(events.OfType<TaskFinishedEvent<int>>().Single().Cached, Is.True);
                Assert.That(snapshot!.Values, Is.EqualTo(42), "the cached update was checkpointed as if the node ran");
            });
        }
    }

    [Test]
    public async Task ClearAsync_ByNodeKeyOrAll_RemovesThoseRowsOnly()
    {
        using var cache = SqliteNodeCache.Open(file);
        var entry = new NodeCacheEntry(new byte[] { 1, 2, 3 }, null);
        await cache.SetAsync("a", "1", entry);
        await cache.SetAsync("a", "2", entry);
        await cache.SetAsync("b", "1", entry with { ExpiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) });

        var read = await cache.GetAsync("b", "1");
        var one = await cache.ClearAsync("a", "1");
        var node = await cache.ClearAsync("a");
        var left = await cache.GetAsync("b", "1");
        var all = await cache.ClearAsync();

        Assert.Multiple(() =>
        {
            Assert.That(read!.Value.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(read.ExpiresAt, Is.EqualTo(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.That((one, node, all), Is.EqualTo((1, 1, 1)));
            Assert.That(left, Is.Not.Null);
        });
    }

    [Test]
    public void Open_FileOfAnotherApplication_FailsAndLeavesItUntouched()
    {
        File.WriteAllText(file, "not a database");

        Assert.That(() => SqliteNodeCache.Open(file), Throws.TypeOf<Graph.Engine.Checkpoints.CheckpointStoreException>());
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a database"));
    }
}
