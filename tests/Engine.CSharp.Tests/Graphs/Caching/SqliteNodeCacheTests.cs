using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;

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

    protected override Task<INodeCache> OpenCacheAsync() => Task.FromResult<INodeCache>(SqliteNodeCache.Open(file));

    protected override Task<ICheckpointer> OpenCheckpointerAsync() => Task.FromResult<ICheckpointer>(SqliteCheckpointer.Open(file));

    protected override Task AfterDisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}
