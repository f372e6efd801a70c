using System.Security.Cryptography;
using System.Text;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Graphs;
using Microsoft.Extensions.Time.Testing;

namespace Graph.Engine.Tests.Checkpoints;

public sealed class ProtectedCheckpointerTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("account 1234-5678");

    [Test]
    public async Task PutAsync_Encrypting_StoresNoPlaintextAndReadsItBack()
    {
        var inner = new InMemoryCheckpointer();
        var store = new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1)));
        var write = new PendingWrite("a:1", "a", PendingWriteKind.Update, Secret);

        await store.PutAsync(Make(1, Secret) with { NextTasks = [new PlannedTaskRecord("w:1", "w", Secret)] }, CheckpointDurability.PerStepSync);
        await store.PutWritesAsync("t", 1, [write]);

        var raw = (await inner.GetAsync("t"))!;
        Assert.That(Contains(raw.State, Secret) || Contains(raw.PendingWrites[0].Payload, Secret) || Contains(raw.NextTasks[0].SendArgument!.Value, Secret), Is.False);
        Assert.That(raw.Metadata.Properties["graph.seal"], Does.StartWith("k1:e:"));
        var read = (await store.GetAsync("t"))!;
        Assert.That(read.State.ToArray(), Is.EqualTo(Secret));
        Assert.That(read.NextTasks[0].SendArgument!.Value.ToArray(), Is.EqualTo(Secret));
        Assert.That(read.PendingWrites, Is.EqualTo(new[] { write }));
        Assert.That(read.Metadata.Properties.ContainsKey("graph.seal"), Is.False);
    }

    [Test]
    public async Task GetAsync_StoredStateChanged_ThrowsNamingThreadCheckpointAndKeyId()
    {
        foreach (var encrypt in new[] { true, false })
        {
            var inner = new InMemoryCheckpointer();
            await new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1)), encrypt).PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);
            var raw = (await inner.GetAsync("t"))!;
            var forged = raw.State.ToArray();
            forged[^1] ^= 1;
            var tampered = new InMemoryCheckpointer();
            await tampered.PutAsync(raw with { State = forged }, CheckpointDurability.PerStepSync);

            var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => new ProtectedCheckpointer(tampered, Ring("k1", ("k1", Key1))).GetAsync("t"));

            Assert.That(exception!.Message, Does.Contain("Checkpoint 1 of thread 't'").And.Contain("'k1'"), $"encrypt: {encrypt}");
        }
    }

    [Test]
    public async Task GetAsync_NextTasksOrParentChanged_Throws()
    {
        var inner = new InMemoryCheckpointer();
        var store = new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1)), encrypt: false);
        await store.PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);
        await store.PutAsync(Make(2, Secret) with { ParentId = 1, NextTasks = [new PlannedTaskRecord("n:2", "n")] }, CheckpointDurability.PerStepSync);
        var raw = await inner.ListAsync("t");
        var tampered = new InMemoryCheckpointer();
        await tampered.PutAsync(raw[1], CheckpointDurability.PerStepSync);
        await tampered.PutAsync(raw[0] with { NextTasks = [new PlannedTaskRecord("n:2", "evil")] }, CheckpointDurability.PerStepSync);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => new ProtectedCheckpointer(tampered, Ring("k1", ("k1", Key1))).GetAsync("t"));

        Assert.That(exception!.Message, Does.Contain("Checkpoint 2 of thread 't' fails its signature check with key 'k1'"));
    }

    [Test]
    public async Task GetAsync_PendingWriteMovedToAnotherCheckpoint_Throws()
    {
        var inner = new InMemoryCheckpointer();
        var store = new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1)));
        await store.PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);
        await store.PutAsync(Make(2, Secret) with { ParentId = 1 }, CheckpointDurability.PerStepSync);
        await store.PutWritesAsync("t", 1, [new PendingWrite("a:1", "a", PendingWriteKind.Update, Secret)]);
        var moved = (await inner.GetAsync("t", 1))!.PendingWrites[0];
        await inner.PutWritesAsync("t", 2, [moved]);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => store.GetAsync("t"));

        Assert.That(exception!.Message, Does.Contain("task 'a:1'").And.Contain("checkpoint 2 of thread 't'").And.Contain("'k1'"));
        Assert.That((await store.GetAsync("t", 1))!.PendingWrites, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_KeyNotInTheRing_ThrowsNamingTheKeyId()
    {
        var inner = new InMemoryCheckpointer();
        await new ProtectedCheckpointer(inner, Ring("old", ("old", Key1))).PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => new ProtectedCheckpointer(inner, Ring("new", ("new", Key2))).GetAsync("t"));

        Assert.That(exception!.Message, Does.Contain("key 'old'").And.Contain("does not hold").And.Contain("'new'"));
    }

    [Test]
    public async Task GetAsync_SameKeyIdOtherKey_ThrowsSignatureFailure()
    {
        var inner = new InMemoryCheckpointer();
        await new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1))).PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key2))).GetAsync("t"));

        Assert.That(exception!.Message, Does.Contain("fails its signature check with key 'k1'"));
    }

    [Test]
    public async Task GetAsync_Rotated_OldKeyStillReadsAndNewDataUsesTheNewKey()
    {
        var inner = new InMemoryCheckpointer();
        await new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1))).PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);
        var rotated = new ProtectedCheckpointer(inner, Ring("k2", ("k1", Key1), ("k2", Key2)));

        await rotated.PutAsync(Make(2, Secret) with { ParentId = 1 }, CheckpointDurability.PerStepSync);
        await rotated.PutWritesAsync("t", 2, [new PendingWrite("a:2", "a", PendingWriteKind.Update, Secret)]);

        var history = await rotated.ListAsync("t");
        Assert.That(history.Select(c => c.State.ToArray()), Is.All.EqualTo(Secret));
        Assert.That((await inner.GetAsync("t", 1))!.Metadata.Properties["graph.seal"], Does.StartWith("k1:"));
        Assert.That((await inner.GetAsync("t", 2))!.Metadata.Properties["graph.seal"], Does.StartWith("k2:"));
    }

    [Test]
    public async Task GetAsync_WrittenWithoutProtection_Throws()
    {
        var inner = new InMemoryCheckpointer();
        await inner.PutAsync(Make(1, Secret), CheckpointDurability.PerStepSync);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => new ProtectedCheckpointer(inner, Ring("k1", ("k1", Key1))).GetAsync("t"));

        Assert.That(exception!.Message, Does.Contain("Checkpoint 1 of thread 't' carries no signature"));
    }

    [Test]
    public void Constructor_BadKeys_ThrowsNamingTheProblem()
    {
        Assert.That(() => Ring("k1", ("k1", new byte[16])), Throws.ArgumentException.With.Message.Contains("'k1' has 16 bytes"));
        Assert.That(() => Ring("k2", ("k1", Key1)), Throws.ArgumentException.With.Message.Contains("'k2' names none"));
        Assert.That(() => Ring("a:b", ("a:b", Key1)), Throws.ArgumentException.With.Message.Contains("'a:b' is not valid"));
        Assert.That(() => new ProtectedCheckpointer(null!, Ring("k1", ("k1", Key1))), Throws.ArgumentNullException);
    }

    [Test]
    public async Task ResumeAsync_ProtectedSqliteStore_InterruptedRunResumesFromTheEncryptedFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"graph-protected-{Guid.NewGuid():N}.db");
        try
        {
            await using (var file = SqliteCheckpointer.Open(path))
            {
                await using var compiled = AskGraph(new ProtectedCheckpointer(file, Ring("k1", ("k1", Key1))));
                var first = await compiled.RunAsync([], new RunOptions { ThreadId = "t" }).Bounded();
                Assert.That(first.Status, Is.EqualTo(GraphRunStatus.Interrupted));
            }

            await using (var reopened = SqliteCheckpointer.Open(path))
            {
                await using var compiled = AskGraph(new ProtectedCheckpointer(reopened, Ring("k2", ("k1", Key1), ("k2", Key2))));
                var resumed = await compiled.ResumeAsync("t", Resume.With("secret-answer")).Bounded();
                Assert.That(resumed.State, Is.EqualTo(new[] { "n1:1", "ask:secret-answer" }));
            }

            Assert.That(Contains(await File.ReadAllBytesAsync(path), Encoding.UTF8.GetBytes("secret-answer")), Is.False);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
        }
    }

    [TestCase(true, 4, new long[] { 8, 7, 6, 3 })]
    [TestCase(false, 2, new long[] { 8, 7, 6, 5, 4, 3 })]
    public async Task ApplyRetention_KeepLastPerBranch_DeletesChosenCheckpointsOnlyWhenTheInnerStoreCan(bool innerDeletes, int deleted, long[] kept)
    {
        // HeldPutCheckpointer passes calls through and has no chosen deletes: retention must prune a tail instead.
        var memory = new InMemoryCheckpointer();
        var store = new ProtectedCheckpointer(innerDeletes ? memory : new HeldPutCheckpointer(memory), Ring("k1", ("k1", Key1)));
        for (var id = 1; id <= 8; id++)
        {
            var parent = id switch { 1 => (long?)null, 7 => 3, 8 => 6, _ => id - 1 };
            await store.PutAsync(Make(id, [(byte)id]) with { ParentId = parent }, CheckpointDurability.PerStepSync);
        }

        var result = await CheckpointRetention.ApplyAsync(store, new RetentionPolicy { KeepLast = 2 }, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1))).Bounded();

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(deleted), "kept per branch: 8, 6 (main) and 7, 3 (fork)");
        Assert.That((await store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(kept));
    }

    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> AskGraph(ICheckpointer store) =>
        TestGraphs.Trace()
            .AddNode("n1", _ => TestGraphs.Log("n1:1"))
            .AddNode("ask", (_, ctx) => TestGraphs.Log("ask:" + ctx.Interrupt<string>("ok?")))
            .AddEdge(StateGraph.Start, "n1")
            .AddEdge("n1", "ask")
            .AddEdge("ask", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });

    private static CheckpointKeys Ring(string current, params (string Id, byte[] Key)[] keys) =>
        new(current, keys.ToDictionary(k => k.Id, k => k.Key));

    private static Checkpoint Make(long id, byte[] state) => new()
    {
        ThreadId = "t",
        Id = id,
        Step = (int)id,
        StateType = "bytes",
        State = state,
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop, Properties = new Dictionary<string, string> { ["run_id"] = "r" } },
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)),
    };

    private static bool Contains(ReadOnlyMemory<byte> haystack, byte[] needle) => haystack.Span.IndexOf(needle) >= 0;
}
