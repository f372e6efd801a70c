using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>Retention on chunked, shared SQLite state: no dangling or leaked state or chunk, then compaction.</summary>
[TestFixture]
public sealed class SqliteRetentionTests
{
    private string directory = null!;

    private string FilePath => Path.Combine(directory, "checkpoints.db");

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-retention-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task ApplyAsync_ChunkedStatesSharedByCopies_LeavesNoDanglingOrLeakedChunkAndThreadsResumable([Range(0, 4)] int seed)
    {
        var random = new Random(seed);
        var latest = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            foreach (var thread in new[] { "a", "b", "c" })
            {
                var state = new byte[10 * 1024];
                random.NextBytes(state);
                for (var id = 1; id <= 8; id++)
                {
                    state = (byte[])state.Clone();
                    state[random.Next(state.Length)] ^= 0x5A;
                    await store.PutAsync(Checkpoint(thread, id, state), CheckpointDurability.Async);
                }

                latest[thread] = state;
            }

            await store.CopyThreadAsync("a", "a-copy");
            latest["a-copy"] = latest["a"];
            Assert.That((await store.CheckConsistencyAsync()).IsConsistent, Is.True, "before retention");

            var result = await CheckpointRetention.ApplyAsync(store, new RetentionPolicy { KeepLast = 2 }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)));
            await store.DeleteThreadAsync("b");
            latest.Remove("b");

            Assert.That(result.CheckpointsDeleted, Is.EqualTo(4 * 6));
            var report = await store.CheckConsistencyAsync();
            Assert.That(report, Is.EqualTo(new CheckpointConsistencyReport(0, 0, 0, 0, 0, 0, 0)));
            foreach (var (thread, state) in latest)
            {
                Assert.That((await store.GetAsync(thread))!.State.ToArray(), Is.EqualTo(state), thread);
                Assert.That(await store.ListAsync(thread), Has.Count.EqualTo(2), thread);
            }
        }

        var (before, after) = SqliteCheckpointer.Compact(FilePath);

        Assert.That(after, Is.LessThan(before), "compaction returns the pages retention freed");
        await using var reopened = SqliteCheckpointer.Open(FilePath);
        Assert.That((await reopened.CheckConsistencyAsync()).IsConsistent, Is.True, "after compaction");
        Assert.That((await reopened.GetAsync("a-copy"))!.State.ToArray(), Is.EqualTo(latest["a-copy"]));
    }

    [Test]
    public async Task CheckConsistencyAsync_LeakedChunkAndWrongCount_AreCounted()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, new byte[5000]), CheckpointDurability.PerStepSync);
        }

        using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE chunks SET refs = refs + 5 WHERE rowid = (SELECT min(rowid) FROM chunks);
                INSERT INTO chunks (hash, data, refs) VALUES (X'00112233445566778899AABBCCDDEEFF', X'01', 1);
                """;
            command.ExecuteNonQuery();
        }

        await using var reopened = SqliteCheckpointer.Open(FilePath);
        var report = await reopened.CheckConsistencyAsync();

        Assert.That((report.LeakedChunks, report.WrongReferenceCounts, report.IsConsistent), Is.EqualTo((1L, 1L, false)));
    }

    [Test]
    public async Task CheckConsistencyAsync_WriteCountOfAMissingCheckpoint_IsCountedAsAnOrphanWrite()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, [1]), CheckpointDurability.PerStepSync);
            Assert.That((await store.CheckConsistencyAsync()).IsConsistent, Is.True, "before the edit");
        }

        using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO write_counts (thread_key, checkpoint_id, writes, digest) SELECT thread_key, 7, 2, X'00' FROM threads WHERE thread_id = 't'";
            command.ExecuteNonQuery();
        }

        await using var reopened = SqliteCheckpointer.Open(FilePath);
        var report = await reopened.CheckConsistencyAsync();

        Assert.That((report.OrphanWrites, report.IsConsistent), Is.EqualTo((1L, false)));
    }

    [Test]
    public async Task ApplyAsync_KeepLastPerBranchOfChunkedStates_LeavesNothingDanglingOrLeaked()
    {
        var random = new Random(11);
        var states = new Dictionary<long, byte[]>();
        await using var store = SqliteCheckpointer.Open(FilePath);
        var state = new byte[10 * 1024];
        random.NextBytes(state);
        for (var id = 1; id <= 8; id++)
        {
            state = (byte[])state.Clone();
            state[random.Next(state.Length)] ^= 0x5A;
            states[id] = state;
            var checkpoint = Checkpoint("t", id, state);
            await store.PutAsync(id == 7 ? checkpoint with { ParentId = 3, Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } } : checkpoint with { ParentId = id == 8 ? 6 : checkpoint.ParentId }, CheckpointDurability.Async);
        }

        var result = await CheckpointRetention.ApplyAsync(store, new RetentionPolicy { KeepLast = 2 }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)));

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(4), "kept: 8, 6 (main) and 7, 3 (fork)");
        Assert.That(await store.CheckConsistencyAsync(), Is.EqualTo(new CheckpointConsistencyReport(0, 0, 0, 0, 0, 0, 0)));
        foreach (var checkpoint in await store.ListAsync("t"))
        {
            Assert.That(checkpoint.State.ToArray(), Is.EqualTo(states[checkpoint.Id]), $"checkpoint {checkpoint.Id}");
        }
    }

    [Test]
    public async Task ApplyAsync_PayloadsOverwrittenOnDisk_DecidesWithoutReadingThem()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            for (var id = 1; id <= 5; id++)
            {
                var state = new byte[10 * 1024];
                state[id] = (byte)id;
                await store.PutAsync(Checkpoint("t", id, state), CheckpointDurability.PerStepSync);
                await store.PutWritesAsync("t", id, [new PendingWrite("w", "w", PendingWriteKind.Update, new byte[1000])]);
            }
        }

        using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE chunks SET data = zeroblob(length(data)); UPDATE writes SET payload = zeroblob(length(payload));";
            command.ExecuteNonQuery();
        }

        await using var reopened = SqliteCheckpointer.Open(FilePath);
        var result = await CheckpointRetention.ApplyAsync(
            reopened, new RetentionPolicy { MaxBytesPerThread = 2 * ((10 * 1024) + 1000) }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)));

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(3), "sizes from lengths and the chunk manifest: each checkpoint counts 10 KiB + 1,000 bytes");
        Assert.That(async () => await reopened.ListAsync("t"), Throws.InstanceOf<CheckpointStoreException>(), "reading the payloads finds the damage retention never read");
        using var check = new SqliteConnection($"Data Source={FilePath};Pooling=False;Mode=ReadOnly");
        check.Open();
        using var ids = check.CreateCommand();
        ids.CommandText = "SELECT group_concat(id) FROM (SELECT id FROM checkpoints ORDER BY id)";
        Assert.That(ids.ExecuteScalar(), Is.EqualTo("4,5"));
    }

    private static Checkpoint Checkpoint(string thread, long id, byte[] state) => new()
    {
        ThreadId = thread,
        Id = id,
        ParentId = id == 1 ? null : id - 1,
        Step = (int)id,
        StateType = "bytes",
        State = state,
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop },
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(id),
    };
}
