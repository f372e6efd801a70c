using Graph.Engine.Checkpoints;
using Graph.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>Retention policies, the sweeper and two writers on one thread, against every store.</summary>
public abstract partial class CheckpointerConformanceTests
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ApplyAsync_KeepLast_KeepsTheNewestAndTheLatestStaysResumable()
    {
        await PutChainAsync("t", 5);
        var write = new PendingWrite("task", "n", PendingWriteKind.Update, new byte[] { 7 });
        await Store.PutWritesAsync("t", 5, [write]);

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { KeepLast = 2 }, ClockAt(10));

        Assert.That((result.ThreadsScanned, result.CheckpointsDeleted, result.ThreadsDeleted, result.DryRun), Is.EqualTo((1, 3, (IReadOnlyList<string>)[], false)));
        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 5, 4 }));
        Assert.That((await Store.GetAsync("t"))!.PendingWrites, Is.EqualTo(new[] { write }));
    }

    [Test]
    public async Task ApplyAsync_MaxAge_DeletesOlderCheckpointsButAlwaysKeepsTheLatest()
    {
        await PutChainAsync("t", 5);
        await PutChainAsync("old", 2);

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { MaxAge = TimeSpan.FromSeconds(7) }, ClockAt(10));

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(3));
        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 5, 4, 3 }), "created at 3 s or later");
        Assert.That((await Store.ListAsync("old")).Select(c => c.Id), Is.EqualTo(new long[] { 2 }), "all too old, the latest kept");
    }

    [Test]
    public async Task ApplyAsync_IdleThreadTtl_DeletesIdleThreadsWhole()
    {
        await PutChainAsync("idle", 2);
        await Store.PutAsync(Make("busy", 100, step: 0), CheckpointDurability.PerStepSync);

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { IdleThreadTtl = TimeSpan.FromSeconds(60) }, ClockAt(110));

        Assert.That((result.ThreadsDeleted, result.CheckpointsDeleted), Is.EqualTo(((IReadOnlyList<string>)["idle"], 2)));
        Assert.That(await Store.ListThreadsAsync(), Is.EqualTo(new[] { "busy" }));
    }

    [Test]
    public async Task ApplyAsync_KeepLastOnAForkedThread_KeepsTheNewestOfEveryBranch()
    {
        // 1..6, a fork 7 from 2, then the main line goes on: 8 after 6, 9 after 8.
        await PutChainAsync("t", 6);
        await Store.PutAsync(Make("t", 7, parent: 2, step: 2) with { Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } }, CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("t", 8, parent: 6, step: 6) with { Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } }, CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("t", 9, parent: 8, step: 7), CheckpointDurability.PerStepSync);

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { KeepLast = 2 }, ClockAt(100));

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(5));
        var kept = await Store.ListAsync("t");
        Assert.That(kept.Select(c => c.Id), Is.EqualTo(new long[] { 9, 8, 7, 2 }), "the fork's tip and its parent stay");
        Assert.That((await Store.GetAsync("t", 7))!.State.ToArray(), Is.EqualTo(StateOf(2)));
        Assert.That((await Store.GetAsync("t"))!.Id, Is.EqualTo(9));
    }

    [Test]
    public async Task ApplyAsync_MaxBytesPerThread_KeepsTheNewestThatFitAndAlwaysTheLatest()
    {
        for (var id = 1; id <= 5; id++)
        {
            await Store.PutAsync(Make("t", id, parent: id == 1 ? null : id - 1, step: id, state: new byte[100]), CheckpointDurability.PerStepSync);
        }

        await Store.PutAsync(Make("big", 1, state: new byte[500]), CheckpointDurability.PerStepSync);
        await Store.PutAsync(Make("big", 2, parent: 1, state: new byte[500]), CheckpointDurability.PerStepSync);

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { MaxBytesPerThread = 250 }, ClockAt(100));

        Assert.That(result.CheckpointsDeleted, Is.EqualTo(4));
        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 5, 4 }));
        Assert.That((await Store.ListAsync("big")).Select(c => c.Id), Is.EqualTo(new long[] { 2 }), "the latest alone is over the budget and kept");
        Assert.That(() => new RetentionPolicy { MaxBytesPerThread = 0 }.Validate(), Throws.ArgumentException.With.Message.Contains("MaxBytesPerThread"));
    }

    [Test]
    public async Task ApplyAsync_DryRun_CountsWithoutDeleting()
    {
        await PutChainAsync("t", 4);
        var before = await Store.ListAsync("t");

        var result = await CheckpointRetention.ApplyAsync(Store, new RetentionPolicy { KeepLast = 1 }, ClockAt(10), dryRun: true);

        Assert.That((result.CheckpointsDeleted, result.DryRun), Is.EqualTo((3, true)));
        Assert.That(await Store.ListAsync("t"), Is.EqualTo(before));
    }

    [Test]
    public async Task ApplyAsync_PolicyWithoutLimits_ThrowsNamingThem()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => CheckpointRetention.ApplyAsync(Store, new RetentionPolicy()));

        Assert.That(exception!.Message, Does.Contain("KeepLast").And.Contain("MaxAge").And.Contain("IdleThreadTtl"));
    }

    [Test]
    public async Task Sweeper_IntervalElapsed_AppliesThePolicy()
    {
        await PutChainAsync("t", 4);
        var clock = new FakeClock();
        var swept = new TaskCompletionSource<RetentionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sweeper = new CheckpointSweeper(Store, new RetentionPolicy { KeepLast = 1 }, TimeSpan.FromMinutes(5), clock);
        sweeper.Swept += (_, result) => swept.TrySetResult(result);
        sweeper.Failed += (_, exception) => swept.TrySetException(exception);

        await Wait.For(clock.WhenArmed(TimeSpan.FromMinutes(5)), "the sweeper armed its timer");
        Assert.That(swept.Task.IsCompleted, Is.False, "no sweep before the interval");
        clock.Advance(TimeSpan.FromMinutes(5));
        await Wait.For(swept.Task, "the sweep ran");

        Assert.That(swept.Task.Result.CheckpointsDeleted, Is.EqualTo(3));
        Assert.That((await Store.ListAsync("t")).Select(c => c.Id), Is.EqualTo(new long[] { 4 }));
    }

    [Test]
    public async Task PutAsync_TwoWritersOnOneThread_SecondFailsClearlyAndHistoryStaysOneChain()
    {
        for (var round = 0; round < 20; round++)
        {
            var thread = $"t{round}";
            await PutChainAsync(thread, 3);
            using var start = new Barrier(2);
            var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
            {
                start.SignalAndWait(Wait.Timeout);
                await Store.PutAsync(Make(thread, 4, parent: 3, step: 3 + (10 * writer)), CheckpointDurability.PerStepSync);
            })).ToList();

            var outcomes = await Task.WhenAll(writers.Select(async task =>
            {
                try
                {
                    await task.WaitAsync(Wait.Timeout);
                    return null;
                }
                catch (CheckpointStoreException exception)
                {
                    return exception;
                }
            }));

            Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1), $"round {round}: exactly one writer succeeds");
            Assert.That(outcomes.Single(o => o is not null)!.Message, Does.Contain($"Checkpoint 4 of thread '{thread}' is not newer"));
            var history = await Store.ListAsync(thread);
            Assert.That(history.Select(c => (c.Id, c.ParentId)), Is.EqualTo(new (long, long?)[] { (4, 3), (3, 2), (2, 1), (1, null) }), $"round {round}");
        }
    }

    private static FakeTimeProvider ClockAt(int seconds) => new(Epoch.AddSeconds(seconds));
}
