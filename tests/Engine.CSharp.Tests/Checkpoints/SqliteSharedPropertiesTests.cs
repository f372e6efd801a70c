using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Graphs;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// The metadata every checkpoint of a graph records alike (its fingerprint, node names and update type) is stored once
/// per graph in <c>shared_properties</c> and named by hash from each row, so a checkpoint's size does not grow with the
/// number of nodes; it reads back whole, is checked against its hash, and is collected by compaction once unused.
/// </summary>
[TestFixture]
public sealed class SqliteSharedPropertiesTests
{
    private string directory = null!;

    private string FilePath => Path.Combine(directory, "checkpoints.db");

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Invoke_ManyRunsOfOneGraph_StoreItsPropertiesOnceAndReadThemBackWhole()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await using var compiled = Chain(store, 20);
            for (var run = 0; run < 3; run++)
            {
                Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = $"t{run}" }).Bounded(), Is.EqualTo(20));
            }

            var runIds = new HashSet<string>(StringComparer.Ordinal);
            for (var run = 0; run < 3; run++)
            {
                foreach (var checkpoint in await store.ListAsync($"t{run}"))
                {
                    var properties = checkpoint.Metadata.Properties;
                    Assert.That(properties.Keys, Is.EquivalentTo(new[] { "run_id", "graph", "graph.nodes", "graph.update" }));
                    Assert.That(properties["graph.nodes"].Split('\n'), Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"n{i}").Order(StringComparer.Ordinal)));
                    Assert.That(properties["graph.update"], Is.EqualTo("System.Int32"));
                    runIds.Add(properties["run_id"]);
                }
            }

            Assert.That(runIds, Has.Count.EqualTo(3), "each run keeps its own run id in its rows");
            Assert.That(await compiled.InvokeAsync(5, new RunOptions { ThreadId = "t0" }).Bounded(), Is.EqualTo(25), "the graph admits the thread its checkpoints name (a new input, 20 more steps)");
        }

        Assert.That(Scalar("SELECT count(*) FROM shared_properties"), Is.EqualTo(1L));
        Assert.That(Scalar("SELECT count(*) FROM checkpoints WHERE instr(metadata, CAST('graph.' AS BLOB)) > 0"), Is.Zero, "no row repeats the fingerprint's entries");
        Assert.That(Scalar("SELECT max(length(metadata)) FROM checkpoints"), Is.LessThan(100L));
    }

    [Test]
    public async Task Invoke_UnderProtectedCheckpointer_KeepsTheGraphsPropertiesOnceAndTheSealInEachRow()
    {
        var keys = new CheckpointKeys("k1", new Dictionary<string, byte[]> { ["k1"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) });
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            var protectedStore = new ProtectedCheckpointer(store, keys);
            await using var compiled = Chain(protectedStore, 5);
            Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = "a" }).Bounded(), Is.EqualTo(5));
            Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = "b" }).Bounded(), Is.EqualTo(5));

            var read = (await protectedStore.GetAsync("b"))!.Metadata.Properties;
            Assert.That(read.Keys, Is.EquivalentTo(new[] { "run_id", "graph", "graph.nodes", "graph.update" }), "the seal checked and removed on read");
            Assert.That(read["graph.nodes"], Is.EqualTo("n0\nn1\nn2\nn3\nn4"));
        }

        Assert.That(Scalar("SELECT count(*) FROM shared_properties"), Is.EqualTo(1L));
        Assert.That(Scalar("SELECT count(*) FROM checkpoints WHERE instr(metadata, CAST('graph.nodes' AS BLOB)) > 0"), Is.Zero);
        Assert.That(Scalar("SELECT count(*) FROM checkpoints WHERE instr(metadata, CAST('graph.seal' AS BLOB)) = 0"), Is.Zero, "every row keeps its own seal");
    }

    [Test]
    public async Task Get_SharedPropertiesEdited_ThrowsNamingThreadCheckpointAndHashCheck()
    {
        await WriteAsync("t", 3);
        Execute("UPDATE shared_properties SET data = CAST(replace(CAST(data AS TEXT), 'n1', 'n9') AS BLOB)");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("shared properties").And.Contain("do not match their hash"));
    }

    [Test]
    public async Task Get_SharedPropertiesDeleted_ThrowsAndTheCheckCountsEveryCheckpointNamingThem()
    {
        await WriteAsync("t", 3);
        Execute("DELETE FROM shared_properties");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t", 2).Bounded());
        var report = await store.CheckConsistencyAsync();

        Assert.That(exception!.Message, Does.Contain("Checkpoint 2 of thread 't'").And.Contain("are missing"));
        Assert.That(report.MissingSharedProperties, Is.EqualTo(4));
        Assert.That(report.IsConsistent, Is.False);
        Assert.That(report.ToString(), Does.Contain("4 missing shared properties"));
    }

    [Test]
    public async Task Compact_DeletesTheSharedPropertiesOfGraphsWithoutCheckpointsAndKeepsTheOthers()
    {
        await WriteAsync("kept", 3);
        await WriteAsync("gone", 5);
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.DeleteThreadAsync("gone");
            Assert.That((await store.CheckConsistencyAsync()).IsConsistent, Is.True, "an unused record is no inconsistency: compaction collects it");
        }

        Assert.That(Scalar("SELECT count(*) FROM shared_properties"), Is.EqualTo(2L));
        SqliteCheckpointer.Compact(FilePath);

        Assert.That(Scalar("SELECT count(*) FROM shared_properties"), Is.EqualTo(1L));
        await using var reopened = SqliteCheckpointer.Open(FilePath);
        Assert.That((await reopened.GetAsync("kept"))!.Metadata.Properties["graph.nodes"], Is.EqualTo("n0\nn1\nn2"));
        Assert.That((await reopened.CheckConsistencyAsync()).IsConsistent, Is.True);
    }

    [Test]
    public async Task Open_Version6File_AddsTheTableAndReadsOldRowsWithWholeMetadata()
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["run_id"] = "r1", ["graph"] = "G", ["graph.nodes"] = "a\nb" };
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(
                new Checkpoint { ThreadId = "old", Id = 1, Step = 0, StateType = "System.Int32", State = "1"u8.ToArray(), CreatedAt = DateTimeOffset.UnixEpoch, Metadata = new CheckpointMetadata { Source = CheckpointSource.Input, Properties = properties } },
                CheckpointDurability.PerStepSync);
        }

        Execute("DROP TABLE shared_properties; UPDATE graph_schema SET value = '6' WHERE name = 'version'");
        await using (var migrated = SqliteCheckpointer.Open(FilePath))
        {
            Assert.That((await migrated.GetAsync("old"))!.Metadata.Properties, Is.EquivalentTo(properties));
        }

        Assert.That(Scalar("SELECT value FROM graph_schema WHERE name = 'version'"), Is.EqualTo("7"));
        await WriteAsync("new", 2);
        await using var reopened = SqliteCheckpointer.Open(FilePath);
        Assert.That((await reopened.GetAsync("new"))!.Metadata.Properties["graph.nodes"], Is.EqualTo("n0\nn1"));
        Assert.That((await reopened.GetAsync("old"))!.Metadata.Properties, Is.EquivalentTo(properties));
        Assert.That((await reopened.CheckConsistencyAsync()).IsConsistent, Is.True);
    }

    private static CompiledGraph<int, int> Chain(ICheckpointer store, int length) =>
        TestGraphs.Chain(length).Compile(GraphCompileOptions.Default with { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });

    /// <summary>Runs a chain of <paramref name="length"/> nodes once on a thread of its own, in a store opened for it.</summary>
    private async Task WriteAsync(string threadId, int length)
    {
        await using var store = SqliteCheckpointer.Open(FilePath);
        await using var compiled = Chain(store, length);
        Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = threadId }).Bounded(), Is.EqualTo(length));
    }

    private void Execute(string sql) => Run(sql, command => command.ExecuteNonQuery());

    private object? Scalar(string sql) => Run(sql, command => command.ExecuteScalar());

    /// <summary>Runs <paramref name="sql"/> on a connection of its own to the store file.</summary>
    private T Run<T>(string sql, Func<SqliteCommand, T> execute)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return execute(command);
    }
}
