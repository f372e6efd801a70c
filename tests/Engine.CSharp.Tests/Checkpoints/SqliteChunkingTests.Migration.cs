using System.Security.Cryptography;
using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Graph.Engine.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>Files of older and newer schema versions: a version 1 file migrates in place, a newer one is refused untouched.</summary>
public sealed partial class SqliteChunkingTests
{
    [Test]
    public async Task Open_Version1File_MigratesInPlaceAndReadsOldAndNewStates()
    {
        var old = new byte[10 * 1024];
        new Random(3).NextBytes(old);
        CreateVersion1File(old);

        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            Assert.That((await store.GetAsync("t", 1))!.State.ToArray(), Is.EqualTo(old));
            var next = (byte[])old.Clone();
            next[100] ^= 1;
            await store.PutAsync(Checkpoint("t", 2, next) with { ParentId = 1 }, CheckpointDurability.PerStepSync);
            Assert.That((await store.GetAsync("t"))!.State.ToArray(), Is.EqualTo(next));
            Assert.That(Count("chunks"), Is.GreaterThan(1), "new large states are chunked");
            await store.PruneAsync("t", 1);
            Assert.That(Count("blobs"), Is.EqualTo(1), "the old raw blob is collected like any other");
        }

        Assert.That(Scalar("SELECT value FROM graph_schema WHERE name = 'version'"), Is.EqualTo("7"));
        Assert.That(Scalar("SELECT count(*) FROM checkpoints WHERE digest IS NULL"), Is.EqualTo(0L), "every migrated row has its digest");
        await using var reopened = SqliteCheckpointer.Open(FilePath);
        Assert.That((await reopened.GetAsync("t"))!.Id, Is.EqualTo(2));
    }

    [Test]
    public async Task Open_Version3File_CountsOlderPendingWritesSoTheirLossIsDetected()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, [1]), CheckpointDurability.PerStepSync);
            await store.PutWritesAsync("t", 1, [new PendingWrite("a:1", "a", PendingWriteKind.Update, new byte[] { 2 })]);
            await store.PutAsync(Checkpoint("t", 2, [3]), CheckpointDurability.PerStepSync);
        }

        DowngradeToVersion4();
        Execute("DROP TABLE write_counts; UPDATE graph_schema SET value = '3' WHERE name = 'version'");
        await using (var migrated = SqliteCheckpointer.Open(FilePath))
        {
            Assert.That((await migrated.GetAsync("t", 1))!.PendingWrites, Has.Count.EqualTo(1));
        }

        Assert.That(Count("write_counts"), Is.EqualTo(1));
        Execute("DELETE FROM writes WHERE checkpoint_id = 1");
        await using var damaged = SqliteCheckpointer.Open(FilePath);
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => damaged.GetAsync("t", 1));
        Assert.That(exception!.Message, Does.Contain("Checkpoint 1 of thread 't'").And.Contain("where 1 were recorded"));
    }

    [Test]
    public async Task Open_Version4File_KeepsOldStatesInBlobsAndStoresNewSmallStatesInTheirRows()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, [1]), CheckpointDurability.PerStepSync);
            await store.PutAsync(Checkpoint("t", 2, [2]), CheckpointDurability.PerStepSync);
        }

        DowngradeToVersion4();
        Assert.That(Count("blobs"), Is.EqualTo(2));
        await using (var migrated = SqliteCheckpointer.Open(FilePath))
        {
            Assert.That((await migrated.ListAsync("t")).Select(c => c.State.ToArray()), Is.EqualTo(new[] { new byte[] { 2 }, [1] }));
            await migrated.PutAsync(Checkpoint("t", 3, [3]), CheckpointDurability.PerStepSync);
            Assert.That(Count("blobs"), Is.EqualTo(2), "the new small state is stored in its row");
            Assert.That((await migrated.CheckConsistencyAsync()).IsConsistent, Is.True);

            await migrated.PruneAsync("t", 1);
            Assert.That(Count("blobs"), Is.Zero, "the old states' blobs are collected with their checkpoints");
            Assert.That((await migrated.CheckConsistencyAsync()).IsConsistent, Is.True);
            Assert.That((await migrated.GetAsync("t"))!.State.ToArray(), Is.EqualTo(new byte[] { 3 }));
        }

        Assert.That(Scalar("SELECT value FROM graph_schema WHERE name = 'version'"), Is.EqualTo("7"));
    }

    [Test]
    public async Task Open_Version5File_KeysItsThreadsAndReadsEveryRowAsWritten()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            foreach (var thread in new[] { "b", "a", "c" })
            {
                await store.PutAsync(Checkpoint(thread, 1, [1]), CheckpointDurability.PerStepSync);
                await store.PutWritesAsync(thread, 1, [new PendingWrite("n:1", "n", PendingWriteKind.Update, new byte[] { 7 })]);
                await store.PutAsync(Checkpoint(thread, 2, new byte[3000]), CheckpointDurability.PerStepSync);
                await store.PutWritesAsync(thread, 2, [new PendingWrite("n:2", "n", PendingWriteKind.Update, new byte[] { 8 })]);
            }
        }

        var written = await History(["a", "b", "c"]);
        var schema = Schema();
        DowngradeToVersion5();
        Assert.That(Scalar("SELECT count(*) FROM pragma_table_info('checkpoints') WHERE name = 'thread_id'"), Is.EqualTo(1L), "the file is in the version 5 layout");

        await using (var migrated = SqliteCheckpointer.Open(FilePath))
        {
            Assert.That(await History(["a", "b", "c"], migrated), Is.EqualTo(written));
            Assert.That((await migrated.CheckConsistencyAsync()).IsConsistent, Is.True);
            await migrated.PutAsync(Checkpoint("a", 3, [3]), CheckpointDurability.PerStepSync);
            await migrated.PutAsync(Checkpoint("d", 1, [4]), CheckpointDurability.PerStepSync);
            Assert.That((await migrated.GetAsync("a"))!.State.ToArray(), Is.EqualTo(new byte[] { 3 }));
        }

        Assert.That(Scalar("SELECT value FROM graph_schema WHERE name = 'version'"), Is.EqualTo("7"));
        Assert.That(Schema(), Is.EqualTo(schema), "a migrated file has the tables and indexes of a new one");
        Assert.That(
            Scalar("SELECT group_concat(thread_id || '=' || thread_key, ' ') FROM (SELECT thread_id, thread_key FROM threads ORDER BY thread_key)"),
            Is.EqualTo("a=1 b=2 c=3 d=4"),
            "the migrated threads keyed in the order of their ids, a new one after them");
        Assert.That(Count("write_counts"), Is.EqualTo(4), "one count per older checkpoint with writes");
    }

    [Test]
    public async Task Open_FourThreadsOpeningTheSameVersion5File_MigrateItOnceAndAllRead()
    {
        const int Threads = 4;
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, [1]), CheckpointDurability.PerStepSync);
            await store.PutAsync(Checkpoint("t", 2, [2]), CheckpointDurability.PerStepSync);
        }

        DowngradeToVersion5();
        using var start = new Barrier(Threads);
        var opened = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                if (!start.SignalAndWait(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException("The opening threads never all started.");
                }

                return SqliteCheckpointer.Open(FilePath);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        await Task.WhenAll(opened).WaitAsync(TimeSpan.FromMinutes(1));

        foreach (var store in opened.Select(task => task.Result))
        {
            Assert.That((await store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 2, 1 }));
            await store.DisposeAsync();
        }

        Assert.That(Scalar("SELECT value FROM graph_schema WHERE name = 'version'"), Is.EqualTo("7"));
        Assert.That((Count("threads"), Count("checkpoints")), Is.EqualTo((1L, 2L)), "migrated once: no row copied twice");
    }

    [Test]
    public async Task Open_Version5FileWithRowsOfAThreadWithoutHead_KeepsTheRowsAndReportsTheMissingHead()
    {
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await store.PutAsync(Checkpoint("t", 1, [1]), CheckpointDurability.PerStepSync);
            await store.PutAsync(Checkpoint("t", 2, [2]), CheckpointDurability.PerStepSync);
            await store.PutAsync(Checkpoint("u", 1, [3]), CheckpointDurability.PerStepSync);
        }

        DowngradeToVersion5();
        Execute("DELETE FROM threads WHERE thread_id = 't'");
        await using var migrated = SqliteCheckpointer.Open(FilePath);

        Assert.That(Count("checkpoints"), Is.EqualTo(3), "no row is dropped");
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => migrated.GetAsync("t"));
        Assert.That(exception!.Message, Does.Contain("of thread 't'").And.Contain("no head record"));
        Assert.That((await migrated.CheckConsistencyAsync()).ThreadHeadMismatches, Is.EqualTo(1));
        Assert.That((await migrated.GetAsync("u"))!.State.ToArray(), Is.EqualTo(new byte[] { 3 }), "the other thread reads");
    }

    [Test]
    public void Open_NewerSchemaVersion_IsRefusedWithoutWriting()
    {
        using (SqliteCheckpointer.Open(FilePath))
        {
        }

        Execute("UPDATE graph_schema SET value = '8' WHERE name = 'version'");
        var bytes = File.ReadAllBytes(FilePath);

        var exception = Assert.Throws<CheckpointStoreException>(() => SqliteCheckpointer.Open(FilePath));

        Assert.That(exception!.Message, Does.Contain("'8'").And.Contain("version 7"));
        Assert.That(File.ReadAllBytes(FilePath), Is.EqualTo(bytes));
    }

    /// <summary>Every checkpoint of the threads, newest first, as text: ids, parent, state and pending writes.</summary>
    private async Task<List<string>> History(string[] threads, SqliteCheckpointer? store = null)
    {
        await using var owned = store is null ? SqliteCheckpointer.Open(FilePath) : null;
        var reader = store ?? owned!;
        var history = new List<string>();
        foreach (var thread in threads)
        {
            foreach (var checkpoint in await reader.ListAsync(thread))
            {
                var writes = string.Join(",", checkpoint.PendingWrites.Select(w => $"{w.TaskId}:{Convert.ToHexString(w.Payload.Span)}"));
                history.Add($"{thread}/{checkpoint.Id}<-{checkpoint.ParentId} {Convert.ToHexString(SHA256.HashData(checkpoint.State.Span))} [{writes}]");
            }
        }

        return history;
    }

    /// <summary>The file's tables and indexes as SQLite records them (names and statements).</summary>
    private string Schema() => (string)Scalar("SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY name)")!;

    private static IEnumerable<string> Chunks(byte[] data)
    {
        var offset = 0;
        foreach (var length in StateChunks.Cut(data))
        {
            yield return Convert.ToHexString(data, offset, length);
            offset += length;
        }
    }

    /// <summary>A small random edit: overwrite, insert or delete 1 to 16 bytes somewhere.</summary>
    private static byte[] Edit(Random random, byte[] data)
    {
        var list = data.ToList();
        var at = random.Next(list.Count + 1);
        var size = random.Next(1, 17);
        var patch = new byte[size];
        random.NextBytes(patch);
        switch (random.Next(3))
        {
            case 0 when at + size <= list.Count:
                for (var i = 0; i < size; i++)
                {
                    list[at + i] = patch[i];
                }

                break;
            case 1 when at + size <= list.Count:
                list.RemoveRange(at, size);
                break;
            default:
                list.InsertRange(at, patch);
                break;
        }

        return [.. list];
    }

    /// <summary>Turns a file written by this version into the version 4 layout: every state in <c>blobs</c>, no <c>state</c> column, the index over every row.</summary>
    private void DowngradeToVersion4()
    {
        DowngradeToVersion5();
        Execute("""
        INSERT OR IGNORE INTO blobs (hash, data, kind) SELECT state_hash, state, 0 FROM checkpoints WHERE state IS NOT NULL;
        DROP INDEX checkpoints_by_state;
        ALTER TABLE checkpoints DROP COLUMN state;
        CREATE INDEX checkpoints_by_state ON checkpoints (state_hash);
        UPDATE graph_schema SET value = '4' WHERE name = 'version';
        """);
    }

    /// <summary>
    /// Turns a file written by this version into the version 5 layout as released: rows keyed by the thread's id
    /// (<c>threads</c> without keys).
    /// </summary>
    private void DowngradeToVersion5()
    {
        DowngradeToVersion6();
        Execute("""
        DROP INDEX checkpoints_by_state;
        ALTER TABLE threads RENAME TO threads_v6;
        ALTER TABLE checkpoints RENAME TO checkpoints_v6;
        ALTER TABLE writes RENAME TO writes_v6;
        ALTER TABLE write_counts RENAME TO write_counts_v6;
        CREATE TABLE checkpoints (
            thread_id TEXT NOT NULL,
            id INTEGER NOT NULL,
            parent_id INTEGER,
            step INTEGER NOT NULL,
            state_type TEXT NOT NULL,
            state_hash BLOB NOT NULL,
            next_tasks BLOB NOT NULL,
            planner_state BLOB NOT NULL,
            metadata BLOB NOT NULL,
            created_ticks INTEGER NOT NULL,
            created_offset_minutes INTEGER NOT NULL,
            digest BLOB NOT NULL,
            state BLOB,
            PRIMARY KEY (thread_id, id));
        CREATE INDEX checkpoints_by_state ON checkpoints (state_hash) WHERE state IS NULL;
        CREATE TABLE writes (
            thread_id TEXT NOT NULL,
            checkpoint_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            task_id TEXT NOT NULL,
            node TEXT NOT NULL,
            kind INTEGER NOT NULL,
            payload BLOB NOT NULL,
            digest BLOB NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_id, seq));
        CREATE TABLE threads (
            thread_id TEXT NOT NULL PRIMARY KEY,
            latest_id INTEGER NOT NULL,
            latest_writes INTEGER NOT NULL,
            digest BLOB NOT NULL);
        CREATE TABLE write_counts (
            thread_id TEXT NOT NULL,
            checkpoint_id INTEGER NOT NULL,
            writes INTEGER NOT NULL,
            digest BLOB NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_id)) WITHOUT ROWID;
        INSERT INTO threads SELECT thread_id, latest_id, latest_writes, digest FROM threads_v6;
        INSERT INTO checkpoints
            SELECT t.thread_id, c.id, c.parent_id, c.step, c.state_type, c.state_hash, c.next_tasks, c.planner_state, c.metadata, c.created_ticks, c.created_offset_minutes, c.digest, c.state
            FROM checkpoints_v6 c JOIN threads_v6 t USING (thread_key);
        INSERT INTO writes
            SELECT t.thread_id, w.checkpoint_id, w.seq, w.task_id, w.node, w.kind, w.payload, w.digest FROM writes_v6 w JOIN threads_v6 t USING (thread_key);
        INSERT INTO write_counts SELECT t.thread_id, n.checkpoint_id, n.writes, n.digest FROM write_counts_v6 n JOIN threads_v6 t USING (thread_key);
        DROP TABLE threads_v6;
        DROP TABLE checkpoints_v6;
        DROP TABLE writes_v6;
        DROP TABLE write_counts_v6;
        UPDATE graph_schema SET value = '5' WHERE name = 'version';
        """);
    }

    /// <summary>Turns a file written by this version (whose checkpoints were put with whole metadata) into the version 6 layout: no <c>shared_properties</c>.</summary>
    private void DowngradeToVersion6() => Execute("""
        DROP TABLE shared_properties;
        UPDATE graph_schema SET value = '6' WHERE name = 'version';
        """);

    private void CreateVersion1File(byte[] state)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(state);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Version1Schema + """
            INSERT INTO blobs (hash, data) VALUES ($hash, $data);
            INSERT INTO checkpoints (thread_id, id, parent_id, step, state_type, state_hash, next_tasks, planner_state, metadata, created_ticks, created_offset_minutes)
            VALUES ('t', 1, NULL, 1, 'bytes', $hash, $tasks, X'', $metadata, 0, 0);
            """;
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$data", state);
        command.Parameters.AddWithValue("$tasks", CheckpointRecordCodec.EncodeTasks([]));
        command.Parameters.AddWithValue("$metadata", CheckpointRecordCodec.EncodeMetadata(new CheckpointMetadata { Source = CheckpointSource.Loop }));
        command.ExecuteNonQuery();
    }

    // The version 1 schema as released (SqliteSchema.CreateSql before version 2).
    private const string Version1Schema = """
        PRAGMA application_id = 1196576840;
        CREATE TABLE graph_schema (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO graph_schema (name, value) VALUES ('format', 'Graph.Engine checkpoints'), ('version', '1');
        CREATE TABLE blobs (
            hash BLOB NOT NULL PRIMARY KEY,
            data BLOB NOT NULL);
        CREATE TABLE checkpoints (
            thread_id TEXT NOT NULL,
            id INTEGER NOT NULL,
            parent_id INTEGER,
            step INTEGER NOT NULL,
            state_type TEXT NOT NULL,
            state_hash BLOB NOT NULL,
            next_tasks BLOB NOT NULL,
            planner_state BLOB NOT NULL,
            metadata BLOB NOT NULL,
            created_ticks INTEGER NOT NULL,
            created_offset_minutes INTEGER NOT NULL,
            PRIMARY KEY (thread_id, id));
        CREATE INDEX checkpoints_by_state ON checkpoints (state_hash);
        CREATE TABLE writes (
            thread_id TEXT NOT NULL,
            checkpoint_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            task_id TEXT NOT NULL,
            node TEXT NOT NULL,
            kind INTEGER NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_id, seq));
        """;
}
