using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>What every <see cref="ICheckpointer"/> must do; each store derives a fixture from it.</summary>
public abstract partial class CheckpointerConformanceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    protected ICheckpointer Store { get; private set; } = null!;

    [SetUp]
    public void CreateStore() => Store = CreateCheckpointer();

    [TearDown]
    public async Task DisposeStore()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await AfterDisposeAsync();
    }

    [Test]
    public async Task GetAsync_UnknownThread_ReturnsNull()
    {
        Assert.That(await Store.GetAsync("nobody"), Is.Null);
        Assert.That(await Store.ListAsync("nobody"), Is.Empty);
    }

    [Test]
    public async Task GetAsync_Latest_ReturnsEveryFieldAsPut()
    {
        var first = Make("t", 1, step: -1);
        var second = Make("t", 2, parent: 1, step: 0) with
        {
            NextTasks = [new PlannedTaskRecord("a:1", "a"), new PlannedTaskRecord("b:1", "b", new byte[] { 7, 8 })],
            PlannerState = new byte[] { 1, 2, 3 },
            Metadata = new CheckpointMetadata
            {
                Source = CheckpointSource.Update,
                Writers = ["a", "b"],
                Properties = new Dictionary<string, string> { ["user"] = "ada", ["run"] = "r-1" },
            },
            CreatedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)),
        };
        await Store.PutAsync(first, CheckpointDurability.PerStepSync);
        await Store.PutAsync(second, CheckpointDurability.PerStepSync);

        var latest = await Store.GetAsync("t");

        Assert.That(latest!.NextTasks[0].SendArgument, Is.Null);
        Assert.That(latest, Is.EqualTo(second));
        Assert.That(latest!.CreatedAt.Offset, Is.EqualTo(TimeSpan.FromHours(2)));
    }

    [Test]
    public async Task GetAsync_ById_ReturnsThatCheckpoint()
    {
        await PutChainAsync("t", 3);

        var middle = await Store.GetAsync("t", 2);

        Assert.That(middle, Is.EqualTo(Make("t", 2, parent: 1, step: 1)));
        Assert.That(await Store.GetAsync("t", 42), Is.Null);
    }

    [Test]
    public async Task GetAsync_EmptyState_RoundTrips()
    {
        var empty = Make("t", 1) with { State = ReadOnlyMemory<byte>.Empty };
        await Store.PutAsync(empty, CheckpointDurability.Async);

        Assert.That(await Store.GetAsync("t"), Is.EqualTo(empty));
    }

    [Test]
    public async Task PutAsync_IdNotGreaterThanLatest_ThrowsCheckpointStoreException()
    {
        await PutChainAsync("t", 2);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.PutAsync(Make("t", 2), CheckpointDurability.PerStepSync));

        Assert.That(exception!.Message, Does.Contain("'t'").And.Contain("2"));
        Assert.That(await Store.ListAsync("t"), Has.Count.EqualTo(2));
    }

    [Test]
    public void PutAsync_ParentNotSmallerThanId_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Store.PutAsync(Make("t", 3, parent: 3), CheckpointDurability.PerStepSync));
        Assert.Throws<ArgumentException>(() => Store.PutAsync(Make("t", 0), CheckpointDurability.PerStepSync));
    }

    [Test]
    public async Task PutAsync_CancelledToken_StoresNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await Store.PutAsync(Make("t", 1), CheckpointDurability.Async, cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Store.GetAsync("t"), Is.Null);
    }

    [Test]
    public async Task PutAsync_CallerReusesItsBuffer_StoredStateUnchanged()
    {
        var buffer = new byte[] { 1, 2, 3 };
        var put = Store.PutAsync(Make("t", 1) with { State = buffer }, CheckpointDurability.Async);
        buffer[0] = 99;
        await put;

        var stored = await Store.GetAsync("t");

        Assert.That(stored!.State.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task ListAsync_NoOptions_ReturnsNewestFirst()
    {
        await PutChainAsync("t", 5);

        var ids = (await Store.ListAsync("t")).Select(c => c.Id);

        Assert.That(ids, Is.EqualTo(new long[] { 5, 4, 3, 2, 1 }));
    }

    [Test]
    public async Task ListAsync_LimitAndBefore_ReturnsTheNewestOlderOnes()
    {
        await PutChainAsync("t", 10);

        Assert.That((await Store.ListAsync("t", limit: 3)).Select(c => c.Id), Is.EqualTo(new long[] { 10, 9, 8 }));
        Assert.That((await Store.ListAsync("t", before: 4)).Select(c => c.Id), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That((await Store.ListAsync("t", limit: 2, before: 7)).Select(c => c.Id), Is.EqualTo(new long[] { 6, 5 }));
        Assert.That(await Store.ListAsync("t", limit: 0), Is.Empty);
    }

    [Test]
    public async Task PutWritesAsync_Writes_AttachToTheirCheckpointInOrder()
    {
        await PutChainAsync("t", 3);
        var a = new PendingWrite("task-a", "a", PendingWriteKind.Update, new byte[] { 1 });
        var b = new PendingWrite("task-b", "b", PendingWriteKind.Interrupt, new byte[] { 2 });
        var c = new PendingWrite("task-c", "c", PendingWriteKind.Error, new byte[] { 3 });

        await Store.PutWritesAsync("t", 2, [a, b]);
        await Store.PutWritesAsync("t", 2, [c]);

        Assert.That((await Store.GetAsync("t", 2))!.PendingWrites, Is.EqualTo(new[] { a, b, c }));
        Assert.That((await Store.GetAsync("t"))!.PendingWrites, Is.Empty);
        Assert.That((await Store.ListAsync("t")).Single(x => x.Id == 2).PendingWrites, Is.EqualTo(new[] { a, b, c }));
    }

    [Test]
    public async Task PutWritesAsync_SameTaskAndKindAgain_ReplacesTheEarlierWrite()
    {
        await PutChainAsync("t", 1);
        var first = new PendingWrite("task-a", "a", PendingWriteKind.Interrupt, new byte[] { 1 });
        var other = new PendingWrite("task-b", "b", PendingWriteKind.Update, new byte[] { 2 });
        var retried = first with { Payload = new byte[] { 9 } };
        var update = new PendingWrite("task-a", "a", PendingWriteKind.Update, new byte[] { 3 });

        await Store.PutWritesAsync("t", 1, [first, other]);
        await Store.PutWritesAsync("t", 1, [retried, update]);

        Assert.That((await Store.GetAsync("t"))!.PendingWrites, Is.EqualTo(new[] { other, retried, update }));
    }

    [Test]
    public void PutWritesAsync_UnknownCheckpoint_ThrowsCheckpointStoreException()
    {
        var write = new PendingWrite("task", "n", PendingWriteKind.Update, new byte[] { 1 });

        Assert.That(async () => await Store.PutWritesAsync("t", 7, [write]), Throws.InstanceOf<CheckpointStoreException>().With.Message.Contains("7"));
    }

    [Test]
    public async Task PutWritesAsync_FiredBeforeTheNextPutWithoutAwaiting_IsStoredInCallOrder()
    {
        var write = new PendingWrite("task-a", "a", PendingWriteKind.Update, new byte[] { 5 });
        var calls = new List<Task>();
        for (var id = 1; id <= 20; id++)
        {
            calls.Add(Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id - 1), CheckpointDurability.Async));
            calls.Add(Store.PutWritesAsync("t", id, [write]));
        }

        await Task.WhenAll(calls).WaitAsync(Timeout);

        var history = await Store.ListAsync("t");
        Assert.That(history.Select(c => c.Id), Is.EqualTo(Enumerable.Range(1, 20).Reverse().Select(i => (long)i)));
        Assert.That(history.Select(c => c.PendingWrites.Count), Is.All.EqualTo(1));
    }

    [Test]
    public async Task PutAsync_PendingWritesOnTheCheckpoint_AreStoredWithIt()
    {
        var write = new PendingWrite("task-a", "a", PendingWriteKind.Update, new byte[] { 5 });
        var checkpoint = Make("t", 1) with { PendingWrites = [write] };

        await Store.PutAsync(checkpoint, CheckpointDurability.PerStepSync);

        Assert.That(await Store.GetAsync("t"), Is.EqualTo(checkpoint));
    }

    [Test]
    public async Task ListThreadsAsync_SeveralThreads_ReturnsOrdinalOrder()
    {
        await PutChainAsync("b", 1);
        await PutChainAsync("a", 2);
        await PutChainAsync("B", 1);

        Assert.That(await Store.ListThreadsAsync(), Is.EqualTo(new[] { "B", "a", "b" }));
    }

    [Test]
    public async Task DeleteThreadAsync_ExistingThread_RemovesOnlyIt()
    {
        await PutChainAsync("doomed", 3);
        await PutChainAsync("kept", 2);
        await Store.PutWritesAsync("doomed", 3, [new PendingWrite("x", "x", PendingWriteKind.Update, new byte[] { 1 })]);

        Assert.That(await Store.DeleteThreadAsync("doomed"), Is.True);
        Assert.That(await Store.DeleteThreadAsync("doomed"), Is.False);

        Assert.That(await Store.GetAsync("doomed"), Is.Null);
        Assert.That(await Store.ListThreadsAsync(), Is.EqualTo(new[] { "kept" }));
        Assert.That(await Store.ListAsync("kept"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DeleteThreadAsync_ThenPutFromOne_StartsAFreshHistory()
    {
        await PutChainAsync("t", 3);
        await Store.DeleteThreadAsync("t");

        await Store.PutAsync(Make("t", 1), CheckpointDurability.PerStepSync);

        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task CopyThreadAsync_ExistingThread_CopiesEverythingAndStaysIndependent()
    {
        await PutChainAsync("source", 4);
        var write = new PendingWrite("task", "n", PendingWriteKind.Update, new byte[] { 4 });
        await Store.PutWritesAsync("source", 4, [write]);

        await Store.CopyThreadAsync("source", "copy");
        var source = await Store.ListAsync("source");
        var copy = await Store.ListAsync("copy");
        Assert.That(copy, Is.EqualTo(source.Select(c => c with { ThreadId = "copy" })));

        await Store.PutAsync(Make("copy", 5, parent: 4, step: 4), CheckpointDurability.PerStepSync);
        await Store.PutWritesAsync("copy", 4, [write with { TaskId = "other" }]);
        await Store.DeleteThreadAsync("source");

        Assert.That(await Store.GetAsync("source"), Is.Null);
        Assert.That((await Store.ListAsync("copy")).Select(c => c.Id), Is.EqualTo(new long[] { 5, 4, 3, 2, 1 }));
        Assert.That((await Store.GetAsync("copy", 4))!.PendingWrites, Has.Count.EqualTo(2));
        Assert.That((await Store.GetAsync("copy", 1))!.State.ToArray(), Is.EqualTo(StateOf(0)));
    }

    [Test]
    public async Task CopyThreadAsync_TargetExistsOrSourceMissing_ThrowsCheckpointStoreException()
    {
        await PutChainAsync("a", 1);
        await PutChainAsync("b", 1);

        Assert.That(async () => await Store.CopyThreadAsync("a", "b"), Throws.InstanceOf<CheckpointStoreException>().With.Message.Contains("'b'"));
        Assert.That(async () => await Store.CopyThreadAsync("missing", "c"), Throws.InstanceOf<CheckpointStoreException>().With.Message.Contains("'missing'"));
    }

    [Test]
    public async Task PruneAsync_LinearHistory_KeepsTheNewestWithUnbrokenParents()
    {
        await PutChainAsync("t", 10);
        await Store.PutWritesAsync("t", 10, [new PendingWrite("x", "x", PendingWriteKind.Interrupt, new byte[] { 1 })]);

        var deleted = await Store.PruneAsync("t", 3);

        var kept = await Store.ListAsync("t");
        Assert.That(deleted, Is.EqualTo(7));
        Assert.That(kept.Select(c => c.Id), Is.EqualTo(new long[] { 10, 9, 8 }));
        Assert.That(kept.Select(c => c.ParentId), Is.EqualTo(new long?[] { 9, 8, 7 }));
        Assert.That(kept[0].PendingWrites, Has.Count.EqualTo(1));
        Assert.That(await Store.GetAsync("t", 7), Is.Null);
    }

    [Test]
    public async Task PruneAsync_ForkedHistory_KeepsAContiguousTailOfEveryBranch()
    {
        await PutChainAsync("t", 6);
        await Store.PutAsync(Make("t", 7, parent: 2, step: 2) with { Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } }, CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("t", 8, parent: 7, step: 3), CheckpointDurability.PerStepSync);

        await Store.PruneAsync("t", 4);

        var kept = await Store.ListAsync("t");
        var keptIds = kept.Select(c => c.Id).ToHashSet();
        Assert.That(keptIds, Is.EquivalentTo(new long[] { 5, 6, 7, 8 }));
        foreach (var checkpoint in kept.Where(c => c.ParentId is not null))
        {
            Assert.That(keptIds.Contains(checkpoint.ParentId!.Value) || checkpoint.ParentId < keptIds.Min(), Is.True, $"checkpoint {checkpoint.Id}");
        }
    }

    [Test]
    public async Task PruneAsync_FewerCheckpointsThanKept_DeletesNothing()
    {
        await PutChainAsync("t", 2);

        Assert.That(await Store.PruneAsync("t", 5), Is.Zero);
        Assert.That(await Store.PruneAsync("missing", 1), Is.Zero);
        Assert.That(await Store.ListAsync("t"), Has.Count.EqualTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.PruneAsync("t", 0));
    }

    [Test]
    public async Task PutAsync_50ThreadsOf20StepsInParallel_AllStoredInOrder()
    {
        const int threads = 50;
        const int steps = 20;
        var write = new PendingWrite("task", "n", PendingWriteKind.Update, new byte[] { 1 });
        var runs = Enumerable.Range(0, threads).Select(thread => Task.Run(async () =>
        {
            var durability = thread % 2 == 0 ? CheckpointDurability.Async : CheckpointDurability.PerStepSync;
            var writes = new List<Task>();
            for (var step = 1; step <= steps; step++)
            {
                await Store.PutAsync(Make($"run-{thread}", step, parent: step == 1 ? null : step - 1, step: step, state: StateOf((thread * 1000) + step)), durability);
                writes.Add(Store.PutWritesAsync($"run-{thread}", step, [write]));
            }

            await Task.WhenAll(writes);
        }));

        await Task.WhenAll(runs).WaitAsync(Timeout);

        Assert.That(await Store.ListThreadsAsync(), Has.Count.EqualTo(threads));
        for (var thread = 0; thread < threads; thread++)
        {
            var history = await Store.ListAsync($"run-{thread}");
            Assert.That(history.Select(c => c.Id), Is.EqualTo(Enumerable.Range(1, steps).Reverse().Select(i => (long)i)), $"thread {thread}");
            Assert.That(history[0].State.ToArray(), Is.EqualTo(StateOf((thread * 1000) + steps)));
            Assert.That(history.Select(c => c.PendingWrites.Count), Is.All.EqualTo(1));
        }
    }

    protected abstract ICheckpointer CreateCheckpointer();

    protected virtual Task AfterDisposeAsync() => Task.CompletedTask;

    protected static byte[] StateOf(int value) => BitConverter.GetBytes(value);

    protected static Checkpoint Make(string thread, long id, long? parent = null, int step = 0, byte[]? state = null) => new()
    {
        ThreadId = thread,
        Id = id,
        ParentId = parent,
        Step = step,
        StateType = "Tests.State",
        State = state ?? StateOf(step),
        Metadata = new CheckpointMetadata { Source = step < 0 ? CheckpointSource.Input : CheckpointSource.Loop, Writers = [$"node-{step}"] },
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(id),
    };

    protected async Task PutChainAsync(string thread, int count)
    {
        for (var id = 1; id <= count; id++)
        {
            await Store.PutAsync(Make(thread, id, parent: id == 1 ? null : id - 1, step: id - 1), CheckpointDurability.PerStepSync);
        }
    }
}
