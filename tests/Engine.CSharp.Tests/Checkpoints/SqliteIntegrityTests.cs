using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Graphs;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// Nothing read from a SQLite store is trusted: rows, states, chunks and pending writes changed on disk are reported
/// as damage naming thread and checkpoint, and the store then writes nothing more to the file.
/// </summary>
[TestFixture]
public sealed class SqliteIntegrityTests
{
    private string directory = null!;

    private string FilePath => Path.Combine(directory, "checkpoints.db");

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-integrity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task ResumeAsync_StoredStateEdited_ThrowsNamingThreadAndCheckpointAndWritesNothing()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "UPDATE chunks SET data = CAST(replace(CAST(data AS TEXT), 'n2:1', 'n2:7') AS BLOB) WHERE CAST(data AS TEXT) LIKE '%n2:1%'");
        var bytes = File.ReadAllBytes(FilePath);

        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await using var compiled = DeskGraph(store);
            var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await compiled.ResumeAsync("t", Resume.With("yes")).Bounded());
            Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("chunk").And.Contain(FilePath));

            var refused = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.DeleteThreadAsync("t").Bounded());
            Assert.That(refused!.Message, Does.Contain("refuses to write"));
        }

        Assert.That(File.ReadAllBytes(FilePath), Is.EqualTo(bytes), "nothing was written after the damage was found");
    }

    [Test]
    public async Task GetAsync_WholeStateEdited_ThrowsNamingTheHashCheck()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "UPDATE blobs SET data = CAST('[\"x\"]' AS BLOB) WHERE kind = 0; UPDATE checkpoints SET state = CAST('[\"x\"]' AS BLOB) WHERE state IS NOT NULL");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t", 1).Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 1 of thread 't'").And.Contain("SHA-256"));
    }

    [Test]
    public async Task GetAsync_LatestCheckpointRowGone_ThrowsInsteadOfReturningAnOlderOne()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "DELETE FROM checkpoints WHERE id = 4");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("latest"));
    }

    [Test]
    public async Task GetAsync_NextNodeNameEdited_ThrowsNamingTheRow()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "UPDATE checkpoints SET next_tasks = CAST(replace(CAST(next_tasks AS TEXT), 'ask', 'n1x') AS BLOB) WHERE id = 4");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("digest"));
    }

    [Test]
    public async Task GetAsync_PendingWriteOfAnOlderCheckpointGone_ThrowsNamingThatCheckpoint()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "DELETE FROM writes WHERE thread_key = (SELECT thread_key FROM threads WHERE thread_id = 't') AND checkpoint_id = 2");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t", 2).Bounded());
        Assert.That(exception!.Message, Does.Contain("Checkpoint 2 of thread 't'").And.Contain("0 pending write(s) where 1 were recorded"));
        Assert.That(async () => await store.ListAsync("t").Bounded(), Throws.InstanceOf<CheckpointStoreException>());
        Assert.That((await store.GetAsync("t", 3).Bounded())!.PendingWrites, Has.Count.EqualTo(1), "the other checkpoints still read");
    }

    [Test]
    public async Task GetAsync_PendingWriteEdited_ThrowsNamingTheWrite()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "UPDATE writes SET payload = CAST(replace(CAST(payload AS TEXT), 'ok?', 'no?') AS BLOB)");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.GetAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 't'").And.Contain("pending write"));
    }

    [Test]
    public async Task ListAsync_StateChunkEdited_ThrowsNamingTheChunk()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Execute(FilePath, "UPDATE chunks SET data = CAST(replace(CAST(data AS TEXT), 'q', 'Q') AS BLOB) WHERE rowid = (SELECT min(rowid) FROM chunks)");

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.ListAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("of thread 't'").And.Contain("chunk"));
    }

    [Test]
    public async Task ListAsync_RowMovedToAnotherThread_ThrowsWhenThatThreadIsRead()
    {
        await WriteInterruptedThreadAsync(FilePath);
        await using (var copying = SqliteCheckpointer.Open(FilePath))
        {
            await copying.CopyThreadAsync("t", "u").Bounded();
        }

        // Thread u's latest row replaced by thread t's: same id, same key position, another thread's digest.
        Execute(FilePath, """
            DELETE FROM checkpoints WHERE thread_key = (SELECT thread_key FROM threads WHERE thread_id = 'u') AND id = 4;
            UPDATE checkpoints SET thread_key = (SELECT thread_key FROM threads WHERE thread_id = 'u')
            WHERE thread_key = (SELECT thread_key FROM threads WHERE thread_id = 't') AND id = 4;
            """);

        await using var store = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await store.ListAsync("u").Bounded());

        Assert.That(exception!.Message, Does.Contain("Checkpoint 4 of thread 'u'").And.Contain("digest"));
    }

    [Test]
    public async Task Open_FileCutShortByOneByte_IsRefusedUntouched()
    {
        await WriteInterruptedThreadAsync(FilePath);
        var bytes = File.ReadAllBytes(FilePath)[..^1];
        File.WriteAllBytes(FilePath, bytes);

        var exception = Assert.Throws<CheckpointStoreException>(() => SqliteCheckpointer.Open(FilePath));

        Assert.That(exception!.Message, Does.Contain("damaged").And.Contain("cut short"));
        Assert.That(File.ReadAllBytes(FilePath), Is.EqualTo(bytes));
        Assert.That(File.Exists(FilePath + "-wal"), Is.False);
    }

    /// <summary>
    /// Flips every 37th byte of a real store file (one flip per copy), then reads every thread and resumes: each copy
    /// either reads back what was written and resumes to the right state, or fails with a
    /// <see cref="CheckpointStoreException"/>; never a different result (pending writes of older checkpoints included)
    /// and never another exception.
    /// </summary>
    [Test]
    public async Task ResumeAsync_EachByteFlipOfARealFile_NeverReturnsDifferentDataOrARawException()
    {
        await WriteInterruptedThreadAsync(FilePath);
        Dictionary<string, IReadOnlyList<Checkpoint>> written;
        IReadOnlyList<string> expected;
        var clean = Path.Combine(directory, "clean.db");
        File.Copy(FilePath, clean);
        await using (var store = SqliteCheckpointer.Open(clean))
        {
            written = await ReadAllAsync(store);
            await using var compiled = DeskGraph(store);
            expected = (await compiled.ResumeAsync("t", Resume.With("yes")).Bounded()).State;
        }

        var original = File.ReadAllBytes(FilePath);
        var (same, detected, silent, raw) = (0, 0, new List<string>(), new List<string>());
        for (var offset = 0; offset < original.Length; offset += 37)
        {
            var copy = Path.Combine(directory, "flipped.db");
            var bytes = (byte[])original.Clone();
            bytes[offset] ^= 0xFF;
            File.WriteAllBytes(copy, bytes);
            try
            {
                await using var store = SqliteCheckpointer.Open(copy);
                var read = await ReadAllAsync(store);
                if (!SameHistory(read, written))
                {
                    silent.Add($"offset {offset}: history read back differs: {Describe(read)} vs {Describe(written)}");
                    continue;
                }

                await using var compiled = DeskGraph(store);
                var result = await compiled.ResumeAsync("t", Resume.With("yes")).Bounded();
                if (result.State.SequenceEqual(expected))
                {
                    same++;
                }
                else
                {
                    silent.Add($"offset {offset}: resumed to [{string.Join(", ", result.State)}]");
                }
            }
            catch (CheckpointStoreException)
            {
                detected++;
            }
            catch (Exception exception)
            {
                raw.Add($"offset {offset}: {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { copy, copy + "-wal", copy + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }

        TestContext.Out.WriteLine($"{original.Length} bytes, {same + detected + silent.Count + raw.Count} flips: {same} harmless, {detected} refused, {silent.Count} silent, {raw.Count} raw");
        Assert.That(silent, Is.Empty, "silently different results");
        Assert.That(raw, Is.Empty, "exceptions other than CheckpointStoreException");
        Assert.That(detected, Is.GreaterThan(0));
    }

    /// <summary>n1 (a 3 KB entry, so its state is chunked) -> n2 -> n3 -> ask (interrupts) -> n4.</summary>
    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> DeskGraph(ICheckpointer store)
    {
        var random = new Random(7);
        var big = "n1:" + string.Concat(Enumerable.Range(0, 3000).Select(_ => (char)('a' + random.Next(26))));
        return TestGraphs.Trace()
            .AddNode("n1", _ => TestGraphs.Log(big))
            .AddNode("n2", _ => TestGraphs.Log("n2:1"))
            .AddNode("n3", _ => TestGraphs.Log("n3:1"))
            .AddNode("ask", (_, ctx) => TestGraphs.Log("ask:" + ctx.Interrupt<string>("ok?")))
            .AddNode("n4", _ => TestGraphs.Log("n4:1"))
            .AddEdge(StateGraph.Start, "n1")
            .AddEdge("n1", "n2")
            .AddEdge("n2", "n3")
            .AddEdge("n3", "ask")
            .AddEdge("ask", "n4")
            .AddEdge("n4", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
    }

    private static async Task WriteInterruptedThreadAsync(string path)
    {
        await using var store = SqliteCheckpointer.Open(path);
        await using var compiled = DeskGraph(store);
        var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
        Assert.That(first.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        Assert.That(first.CheckpointId, Is.EqualTo(4));
    }

    private static async Task<Dictionary<string, IReadOnlyList<Checkpoint>>> ReadAllAsync(ICheckpointer store)
    {
        var all = new Dictionary<string, IReadOnlyList<Checkpoint>>(StringComparer.Ordinal);
        foreach (var thread in await store.ListThreadsAsync().Bounded())
        {
            all[thread] = await store.ListAsync(thread).Bounded();
        }

        return all;
    }

    private static bool SameHistory(Dictionary<string, IReadOnlyList<Checkpoint>> read, Dictionary<string, IReadOnlyList<Checkpoint>> written) =>
        read.Count == written.Count && read.All(pair => written.TryGetValue(pair.Key, out var list) && list.SequenceEqual(pair.Value));

    private static string Describe(Dictionary<string, IReadOnlyList<Checkpoint>> all) =>
        string.Join("; ", all.Select(pair => $"{pair.Key}: " + string.Join(",", pair.Value.Select(c => $"{c.Id}/{c.PendingWrites.Count}w/{c.State.Length}b/{c.CreatedAt.Ticks}"))));

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.That(command.ExecuteNonQuery(), Is.GreaterThan(0), sql);
    }
}
