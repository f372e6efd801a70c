using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

[TestFixture]
public sealed class SqliteCheckpointerTests : CheckpointerConformanceTests
{
    private string directory = null!;

    private string FilePath => Path.Combine(directory, "checkpoints.db");

    [Test]
    public async Task Open_ExistingFile_ReadsBackEverything()
    {
        await PutChainAsync("t", 3);
        var write = new PendingWrite("task", "n", PendingWriteKind.Interrupt, new byte[] { 1, 2 });
        await Store.PutWritesAsync("t", 3, [write]);
        var before = await Store.ListAsync("t");
        await ((SqliteCheckpointer)Store).DisposeAsync();

        await using var reopened = SqliteCheckpointer.Open(FilePath);

        Assert.That(await reopened.ListAsync("t"), Is.EqualTo(before));
        Assert.That((await reopened.GetAsync("t"))!.PendingWrites, Is.EqualTo(new[] { write }));
        await reopened.PutAsync(Make("t", 4, parent: 3, step: 3), CheckpointDurability.PerStepSync);
        Assert.That((await reopened.GetAsync("t"))!.Id, Is.EqualTo(4));
    }

    [Test]
    public async Task PutAsync_1000CheckpointsOfAnUnchanged10KbState_StoresTheStateOnce()
    {
        var state = RandomNumberGenerator.GetBytes(10 * 1024);
        var puts = new List<Task>();
        for (var id = 1; id <= 1000; id++)
        {
            puts.Add(Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id, state: state), CheckpointDurability.Async));
        }

        await Task.WhenAll(puts);
        await ((SqliteCheckpointer)Store).DisposeAsync();

        var size = new FileInfo(FilePath).Length;
        Assert.That(size, Is.LessThan(1000 * 10 * 1024 / 20), "at most 5% of a full copy per step");
        Assert.That(CountBlobs(), Is.EqualTo(1));
    }

    [Test]
    public async Task PutAsync_SmallStates_AreStoredInTheirCheckpointRowsWithoutBlobs()
    {
        await PutChainAsync("t", 3);
        await Store.PutAsync(Make("t", 4, parent: 3, step: 3, state: LargeStateOf(3)), CheckpointDurability.PerStepSync);

        Assert.That(CountBlobs(), Is.EqualTo(1), "only the state larger than the row limit has a blob");
        Assert.That(Scalar("SELECT count(*) FROM checkpoints WHERE state IS NOT NULL"), Is.EqualTo(3L));
        Assert.That((await Store.ListAsync("t")).Select(c => c.State.ToArray()), Is.EqualTo(new[] { LargeStateOf(3), StateOf(2), StateOf(1), StateOf(0) }));
        var report = await ((SqliteCheckpointer)Store).CheckConsistencyAsync();
        Assert.That(report.IsConsistent, Is.True, report.ToString());
    }

    [Test]
    public async Task DeleteThreadAsync_StatesSharedWithAnotherThread_KeepsOnlyTheStillUsedBlobs()
    {
        await PutLargeChainAsync("doomed", 3);
        await Store.PutAsync(Make("kept", 1, state: LargeStateOf(1)), CheckpointDurability.PerStepSync);
        Assert.That(CountBlobs(), Is.EqualTo(3));

        await Store.DeleteThreadAsync("doomed");

        Assert.That(CountBlobs(), Is.EqualTo(1));
        Assert.That((await Store.GetAsync("kept"))!.State.ToArray(), Is.EqualTo(LargeStateOf(1)));
    }

    [Test]
    public async Task PruneAsync_OldStates_DeletesTheirBlobs()
    {
        await PutLargeChainAsync("t", 10);

        await Store.PruneAsync("t", 2);

        Assert.That(CountBlobs(), Is.EqualTo(2));
    }

    [Test]
    public async Task CopyThreadAsync_ThenDeleteSource_CopyStillReadsItsStates()
    {
        await PutLargeChainAsync("source", 3);
        await PutChainAsync("small", 2);
        await Store.CopyThreadAsync("source", "copy");
        await Store.CopyThreadAsync("small", "small-copy");

        await Store.DeleteThreadAsync("source");
        await Store.DeleteThreadAsync("small");

        Assert.That(CountBlobs(), Is.EqualTo(3));
        Assert.That((await Store.ListAsync("copy")).Select(c => c.State.ToArray()), Is.EqualTo(new[] { LargeStateOf(2), LargeStateOf(1), LargeStateOf(0) }));
        Assert.That((await Store.ListAsync("small-copy")).Select(c => c.State.ToArray()), Is.EqualTo(new[] { StateOf(1), StateOf(0) }));
    }

    [Test]
    public void Open_FileThatIsNotADatabase_ThrowsAndLeavesTheFileUntouched()
    {
        var path = Path.Combine(directory, "notes.txt");
        var bytes = RandomNumberGenerator.GetBytes(8192);
        File.WriteAllBytes(path, bytes);

        var exception = Assert.Throws<CheckpointStoreException>(() => SqliteCheckpointer.Open(path));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("notes.txt").And.Contain("untouched"));
            Assert.That(exception.Message, Does.Contain("(SQLite error 26: file is not a database)"), "the code and SQLite's message, once");
            Assert.That(exception.Message.ToUpperInvariant().Split("SQLITE ERROR").Length - 1, Is.EqualTo(1), exception.Message);
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        });
    }

    [Test]
    public void Open_SqliteDatabaseOfAnotherApplication_ThrowsAndLeavesTheFileUntouched()
    {
        var path = Path.Combine(directory, "other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('ada');";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(path);

        var exception = Assert.Throws<CheckpointStoreException>(() => SqliteCheckpointer.Open(path));

        Assert.That(exception!.Message, Does.Contain("another application"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Open_UnknownSchemaVersion_ThrowsAndLeavesTheFileUntouched()
    {
        await PutChainAsync("t", 2);
        await ((SqliteCheckpointer)Store).DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE graph_schema SET value = '99' WHERE name = 'version'";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(FilePath);

        var exception = Assert.Throws<CheckpointStoreException>(() => SqliteCheckpointer.Open(FilePath));

        Assert.That(exception!.Message, Does.Contain("'99'").And.Contain("version 7"));
        Assert.That(File.ReadAllBytes(FilePath), Is.EqualTo(bytes));
    }

    [Test]
    public async Task ReadState_CheckpointOfAnotherStateType_ThrowsNamingBothTypes()
    {
        var serializer = JsonCheckpointSerializer.Default;
        await Store.PutAsync(
            Make("t", 1) with { StateType = Checkpoint.StateTypeNameOf(typeof(List<int>)), State = serializer.Serialize(new List<int> { 1, 2 }) },
            CheckpointDurability.PerStepSync);
        var stored = await Store.GetAsync("t");

        var exception = Assert.Throws<CheckpointStoreException>(() => stored!.ReadState<Dictionary<string, int>>(serializer));

        Assert.That(exception!.Message, Does.Contain("System.Collections.Generic.List<System.Int32>")
            .And.Contain("System.Collections.Generic.Dictionary<System.String,System.Int32>"));
        Assert.That(stored!.ReadState<List<int>>(serializer), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task DisposeAsync_PutsStillQueued_AreWrittenFirst()
    {
        var puts = Enumerable.Range(1, 200)
            .Select(id => Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id), CheckpointDurability.Async))
            .ToList();

        await ((SqliteCheckpointer)Store).DisposeAsync();
        await Task.WhenAll(puts);

        await using var reopened = SqliteCheckpointer.Open(FilePath);
        Assert.That(await reopened.ListAsync("t"), Has.Count.EqualTo(200));
        Assert.Throws<ObjectDisposedException>(() => Store.PutAsync(Make("t", 201), CheckpointDurability.Async));
    }

    protected override ICheckpointer CreateCheckpointer()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-checkpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return SqliteCheckpointer.Open(FilePath);
    }

    protected override Task AfterDisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A state larger than <see cref="SqliteSchema.RowStateLimit"/> (so stored in <c>blobs</c>) and smaller than a chunked one.</summary>
    private static byte[] LargeStateOf(int value) => Enumerable.Repeat((byte)value, SqliteSchema.RowStateLimit + 100).ToArray();

    private async Task PutLargeChainAsync(string thread, int count)
    {
        for (var id = 1; id <= count; id++)
        {
            await Store.PutAsync(Make(thread, id, parent: id == 1 ? null : id - 1, step: id - 1, state: LargeStateOf(id - 1)), CheckpointDurability.PerStepSync);
        }
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private long CountBlobs()
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM blobs";
        return (long)command.ExecuteScalar()!;
    }
}
