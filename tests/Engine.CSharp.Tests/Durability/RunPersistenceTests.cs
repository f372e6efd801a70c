using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>The run's checkpoint side against a store whose put blocks its caller: nothing else of the run waits for it.</summary>
[TestFixture]
public sealed class RunPersistenceTests
{
    private const string Thread = "t";

    [Test]
    public async Task Save_PutBlocksItsCaller_WritesAndCloseDoNotWaitAndKeepTheirCheckpoint()
    {
        var inner = new InMemoryCheckpointer();
        await inner.PutAsync(Checkpoint(1, null), CheckpointDurability.Async);
        var store = new HeldPutCheckpointer(inner)
        {
            HoldId = 2,
            Release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Synchronously = true,
        };
        var persistence = new RunPersistence(store, new JsonCheckpointSerializer(), CheckpointDurability.Async, Thread, TimeProvider.System, latestId: 1, startId: 1, new CheckpointRecordCache(1));

        Task? returned = null;
        var save = Task.Run(() => { returned = persistence.Save(CheckpointSource.Loop, 1, 2, [], ReadOnlyMemory<byte>.Empty, ["a"], "run"); });
        await Wait.For(store.Reached.Task, "the put of checkpoint 2 reached the store");
        await Wait.For(Task.Run(() => persistence.RecordWrite("late", "a", PendingWriteKind.Update, [1])), "a write recorded while the put blocks");
        var close = Task.Run(persistence.Close);
        await Wait.For(close, "Close while the put blocks");

        Assert.That(close.Result, Is.True, "Close reports the put still being made, so the run flushes it");
        var flush = persistence.FlushAsync();
        Assert.That(flush.IsCompleted, Is.False, "the flush waits for the put being made");
        store.Release.SetResult();
        await Wait.For(save, "the save returns once the put is released");
        Assert.That(returned, Is.Null, "Async: the step does not wait for the put");
        await Wait.For(flush, "the flush after the put");

        var first = await inner.GetAsync(Thread, 1);
        var second = await inner.GetAsync(Thread, 2);
        Assert.That(first!.PendingWrites.Select(w => w.TaskId), Is.EqualTo(new[] { "late" }), "recorded against the checkpoint whose put was issued");
        Assert.That(second!.ParentId, Is.EqualTo(1));
    }

    [Test]
    public async Task RecordWrite_AfterSaveReturned_GoesToTheNewCheckpoint()
    {
        var store = new InMemoryCheckpointer();
        await store.PutAsync(Checkpoint(1, null), CheckpointDurability.Async);
        var persistence = new RunPersistence(store, new JsonCheckpointSerializer(), CheckpointDurability.Async, Thread, TimeProvider.System, latestId: 1, startId: 1, new CheckpointRecordCache(1));

        persistence.RecordWrite("before", "a", PendingWriteKind.Update, [1]);
        Assert.That(persistence.Save(CheckpointSource.Loop, 1, 2, [], ReadOnlyMemory<byte>.Empty, ["a"], "run"), Is.Null);
        persistence.RecordWrite("after", "a", PendingWriteKind.Update, [1]);
        Assert.That(persistence.Close(), Is.False, "the in-memory store completed every call");
        await Wait.For(persistence.FlushAsync(), "flush");

        Assert.That((await store.GetAsync(Thread, 1))!.PendingWrites.Select(w => w.TaskId), Is.EqualTo(new[] { "before" }));
        Assert.That((await store.GetAsync(Thread, 2))!.PendingWrites.Select(w => w.TaskId), Is.EqualTo(new[] { "after" }));
    }

    [Test]
    [Repeat(5)]
    public async Task CloseAndFlush_WhileTasksRecordPendingWrites_FlushAwaitsEveryCallMadeAndNoneComesAfter()
    {
        const int writers = 4;
        const int perWriter = 2_000;
        var inner = new InMemoryCheckpointer();
        await inner.PutAsync(Checkpoint(1, null), CheckpointDurability.Async);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var made = 0;
        var store = new HeldPutCheckpointer(inner) { HoldWrites = release.Task, WriteSeen = _ => Interlocked.Increment(ref made) };
        var persistence = new RunPersistence(store, new JsonCheckpointSerializer(), CheckpointDurability.Async, Thread, TimeProvider.System, latestId: 1, startId: 1, new CheckpointRecordCache(1));
        var halfway = new CountdownEvent(writers);

        // Tasks record writes (each call pending in the store) while the run closes midway, as a run that fails does.
        var recording = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                if (i == perWriter / 2)
                {
                    halfway.Signal();
                }

                persistence.RecordWrite($"w{w}-{i}", "a", PendingWriteKind.Update, [1]);
            }
        })).ToArray();
        Assert.That(halfway.Wait(Wait.Timeout), Is.True, "the writers got halfway");
        Assert.That(persistence.Close(), Is.True, "calls are pending in the store");
        var flush = persistence.FlushAsync();
        await Wait.For(Task.WhenAll(recording), "the writers return (calls after Close are dropped)");
        var madeAtFlush = Volatile.Read(ref made);

        Assert.That(flush.IsCompleted, Is.False, "the flush waits for the pending calls");
        release.SetResult();
        await Wait.For(flush, "the flush once the store completes them");

        Assert.That(Volatile.Read(ref made), Is.EqualTo(madeAtFlush), "no call is made after the run closed and its writers returned");
        Assert.That((await inner.GetAsync(Thread, 1))!.PendingWrites, Has.Count.EqualTo(madeAtFlush), "every call made was awaited by the flush and reached the store");
        Assert.That(madeAtFlush, Is.GreaterThanOrEqualTo(writers * perWriter / 2), "the writes made before Close were kept");
    }

    private static Checkpoint Checkpoint(long id, long? parent) => new()
    {
        ThreadId = Thread,
        Id = id,
        ParentId = parent,
        Step = 0,
        StateType = "System.Int32",
        State = new byte[] { 1 },
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Input },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
