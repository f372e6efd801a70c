using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using TestGraphs = Graph.Engine.Tests.Graphs.TestGraphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Checkpoints;

[TestFixture]
public sealed class InMemoryCheckpointerTests : CheckpointerConformanceTests
{
    // More checkpoints than one chunk of the store's log holds (1,024), so deletes free slots in several chunks.
    private const int Threads = 700;
    private const int PerThread = 3;

    [Test]
    public async Task DeleteThreadAsync_MostThreads_TheOthersReadBackWhole()
    {
        await PutThreadsAsync("t", Threads);

        // Deleting all but every tenth thread leaves under a quarter of the slots in use: the store moves its records.
        for (var t = 0; t < Threads; t++)
        {
            if (t % 10 != 0)
            {
                Assert.That(await Store.DeleteThreadAsync($"t{t}"), Is.True);
            }
        }

        await AssertThreadsAsync("t", Threads, t => t % 10 == 0);
        Assert.That(await Store.ListThreadsAsync(), Has.Count.EqualTo(Threads / 10));
    }

    [Test]
    public async Task PutAsync_AfterDeletes_ReusesSlotsWithoutTouchingOtherThreads()
    {
        await PutThreadsAsync("old", Threads);
        for (var t = 0; t < Threads; t += 2)
        {
            Assert.That(await Store.PruneAsync($"old{t}", keepLast: 1), Is.EqualTo(PerThread - 1));
        }

        await PutThreadsAsync("new", Threads);

        await AssertThreadsAsync("new", Threads, _ => true);
        for (var t = 0; t < Threads; t++)
        {
            var history = await Store.ListAsync($"old{t}");
            Assert.That(history.Select(c => c.Id), Is.EqualTo(t % 2 == 0 ? [PerThread] : new long[] { 3, 2, 1 }), $"old{t}");
            Assert.That(history[0].State.ToArray(), Is.EqualTo(StateOf((t * 10) + PerThread - 1)), $"old{t}");
        }
    }

    [Test]
    public async Task PutAsync_TwoThreadsInterleaved_EachReadsBackItsOwnChainAfterAPrune()
    {
        // Contiguous puts first (a thread's slots follow one another), then interleaved ones (they no longer do).
        for (var id = 1; id <= 3; id++)
        {
            await Store.PutAsync(Make("a", id, parent: id == 1 ? null : id - 1, step: id), CheckpointDurability.Async);
        }

        for (var id = 4; id <= 8; id++)
        {
            await Store.PutAsync(Make("a", id, parent: id - 1, step: id), CheckpointDurability.Async);
            await Store.PutAsync(Make("b", id - 3, parent: id == 4 ? null : id - 4, step: 100 + id), CheckpointDurability.Async);
        }

        Assert.That(await Store.PruneAsync("a", keepLast: 4), Is.EqualTo(4));
        Assert.That(await Store.PruneAsync("b", keepLast: 3), Is.EqualTo(2));

        var a = await Store.ListAsync("a");
        var b = await Store.ListAsync("b");
        Assert.That(a.Select(c => (c.Id, c.Step)), Is.EqualTo(new[] { (8L, 8), (7L, 7), (6L, 6), (5L, 5) }));
        Assert.That(b.Select(c => (c.Id, c.Step)), Is.EqualTo(new[] { (5L, 108), (4L, 107), (3L, 106) }));
        Assert.That((await Store.GetAsync("a", 6))!.State.ToArray(), Is.EqualTo(StateOf(6)));
    }

    [Test]
    public async Task PutAsync_CreationTimesWithOffsets_ReadBackWithTheirOwnOffsets()
    {
        // Consecutive checkpoints share what they have in common; the offset of the creation time is part of it.
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(2), TimeSpan.FromMinutes(-330) };
        for (var id = 1; id <= offsets.Length; id++)
        {
            var checkpoint = Make("t", id, parent: id == 1 ? null : id - 1, step: id);
            await Store.PutAsync(checkpoint with { CreatedAt = new DateTimeOffset(2026, 12, 2, 10, id, 0, offsets[id - 1]) }, CheckpointDurability.Async);
        }

        var history = (await Store.ListAsync("t")).Reverse().ToArray();

        Assert.That(history.Select(c => c.CreatedAt.Offset), Is.EqualTo(offsets));
        Assert.That(history.Select(c => c.CreatedAt.DateTime), Is.EqualTo(Enumerable.Range(1, offsets.Length).Select(m => new DateTime(2026, 12, 2, 10, m, 0))));
    }

    [Test]
    public async Task CopyThreadAsync_ThenWritesToTheCopy_LeaveTheSourceAsItWas()
    {
        await PutChainAsync("source", 2);
        await Store.CopyThreadAsync("source", "copy");
        await Store.PutWritesAsync("copy", 2, [new PendingWrite("task", "node", PendingWriteKind.Update, new byte[] { 1 }), new PendingWrite("other", "node", PendingWriteKind.Update, new byte[] { 2 })]);
        await Store.PutWritesAsync("source", 2, [new PendingWrite("task", "node", PendingWriteKind.Update, new byte[] { 3 })]);

        Assert.That((await Store.GetAsync("copy"))!.PendingWrites.Select(w => w.Payload.ToArray()[0]), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That((await Store.GetAsync("source"))!.PendingWrites.Select(w => w.Payload.ToArray()[0]), Is.EqualTo(new byte[] { 3 }));
    }

    [Test]
    public async Task InvokeAsync_ThreadDeletedMidRun_TheRunFailsNamingTheThreadAndAFreshRunStartsOver()
    {
        // Once its thread is deleted, the run's next write names a checkpoint the store no longer holds: the run fails
        // with the store's error instead of writing into a history that is gone.
        var store = Store;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s =>
            {
                Assert.That(store.DeleteThreadAsync("t").Result, Is.True);
                return s + 1;
            })
            .AddNode("c", s => s + 1)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", "c")
            .AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { Checkpointer = store });

        var error = await Assert.ThrowsAsync<CheckpointStoreException>(() => compiled.InvokeAsync(0, new RunOptions { ThreadId = "t" }).Bounded());
        Assert.That(error!.Message, Does.Contain("'t'"));
        Assert.That(await Store.ListAsync("t"), Is.Empty, "nothing of the run is kept after its thread was deleted");
    }

    [Test]
    public async Task InvokeAsync_RunsOnManyThreads_EachCheckpointReadsBackItsOwnRunsProperties()
    {
        // The runs of one graph share one kept shape across threads, and each record keeps its own run's number: every
        // checkpoint must still read back its own run id beside the graph's entries, a given run id stays given, and a
        // thread copy and a compaction keep them.
        await using var graph = TestGraphs.Chain(3).Compile(new GraphCompileOptions { Checkpointer = Store });
        string[] threads = ["a", "b", "c", "a", "d", "e"];
        foreach (var thread in threads)
        {
            Assert.That(await graph.InvokeAsync(0, new RunOptions { ThreadId = thread, RunId = thread == "d" ? "given" : null }).Bounded(), Is.GreaterThanOrEqualTo(3));
        }

        await Store.CopyThreadAsync("b", "b-copy");
        for (var filler = 0; filler < 1_500; filler++)
        {
            // Enough threads put and deleted to make the store move its records to a smaller log.
            await Store.PutAsync(Make($"filler{filler}", 1), CheckpointDurability.Async);
        }

        for (var filler = 0; filler < 1_500; filler++)
        {
            Assert.That(await Store.DeleteThreadAsync($"filler{filler}"), Is.True);
        }

        var runsByThread = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? graphEntries = null;
        foreach (var thread in new[] { "a", "b", "c", "d", "e", "b-copy" })
        {
            var history = (await Store.ListAsync(thread)).Reverse().ToArray();
            foreach (var checkpoint in history)
            {
                var properties = checkpoint.Metadata.Properties;
                Assert.That(properties.Keys, Is.EquivalentTo(new[] { "run_id", "graph", "graph.nodes", "graph.update" }), thread);
                var entries = string.Join("|", properties.Where(p => p.Key != "run_id").OrderBy(p => p.Key, StringComparer.Ordinal));
                Assert.That(entries, Is.EqualTo(graphEntries ??= entries), $"thread {thread}: the graph's entries");
            }

            runsByThread[thread] = history.Select(c => c.Metadata.Properties["run_id"]).Distinct().ToArray();
        }

        Assert.That(runsByThread["a"], Has.Length.EqualTo(2), "thread a: two runs, each with its own id, oldest first");
        Assert.That(runsByThread["d"], Is.EqualTo(new[] { "given" }));
        Assert.That(runsByThread["b-copy"], Is.EqualTo(runsByThread["b"]));
        var generated = new[] { "a", "b", "c", "e" }.SelectMany(t => runsByThread[t]).ToArray();
        Assert.That(generated, Is.Unique.And.Length.EqualTo(5), "every generated run id is its run's own");
        Assert.That(generated, Has.None.EqualTo("given"));
    }

    protected override ICheckpointer CreateCheckpointer() => new InMemoryCheckpointer();

    private async Task PutThreadsAsync(string prefix, int threads)
    {
        for (var t = 0; t < threads; t++)
        {
            for (var id = 1; id <= PerThread; id++)
            {
                await Store.PutAsync(Make($"{prefix}{t}", id, parent: id == 1 ? null : id - 1, step: id - 1, state: StateOf((t * 10) + id - 1)), CheckpointDurability.Async);
            }
        }
    }

    private async Task AssertThreadsAsync(string prefix, int threads, Func<int, bool> present)
    {
        for (var t = 0; t < threads; t++)
        {
            var history = await Store.ListAsync($"{prefix}{t}");
            if (!present(t))
            {
                Assert.That(history, Is.Empty, $"{prefix}{t}");
                continue;
            }

            Assert.That(history.Select(c => c.Id), Is.EqualTo(new long[] { 3, 2, 1 }), $"{prefix}{t}");
            Assert.That(history.Select(c => c.State.ToArray()), Is.EqualTo(Enumerable.Range(0, PerThread).Reverse().Select(i => StateOf((t * 10) + i))), $"{prefix}{t}");
            Assert.That(history.Select(c => c.ParentId), Is.EqualTo(new long?[] { 2, 1, null }), $"{prefix}{t}");
        }
    }
}
