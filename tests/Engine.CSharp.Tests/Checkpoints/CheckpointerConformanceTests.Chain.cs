using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>A thread's history stays one chain of stored checkpoints, against every store.</summary>
public abstract partial class CheckpointerConformanceTests
{
    [Test]
    public async Task PutAsync_ParentNeverLanded_ThrowsAndTheLatestStaysTheLastGoodCheckpoint()
    {
        // Async durability: put 3 failed on its way, put 4 (parent 3) is already issued.
        await PutChainAsync("t", 2);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.PutAsync(Make("t", 4, parent: 3, step: 3), CheckpointDurability.Async));

        Assert.That(exception!.Message, Does.Contain("'t'").And.Contain("parent 3"));
        Assert.That((await Store.GetAsync("t"))!.Id, Is.EqualTo(2));
        Assert.That(await Store.ListAsync("t"), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task PutAsync_ParentOnUnknownThread_ThrowsAndCreatesNoThread()
    {
        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(() => Store.PutAsync(Make("t", 2, parent: 1, step: 1), CheckpointDurability.PerStepSync));

        Assert.That(exception!.Message, Does.Contain("parent 1"));
        Assert.That(await Store.ListThreadsAsync(), Is.Empty);
        await Store.PutAsync(Make("t", 1), CheckpointDurability.PerStepSync);
        Assert.That((await Store.GetAsync("t"))!.Id, Is.EqualTo(1));
    }

    [Test]
    public async Task PutAsync_ForkFromAnOlderStoredCheckpoint_IsAccepted()
    {
        await PutChainAsync("t", 3);

        await Store.PutAsync(Make("t", 4, parent: 1, step: 1) with { Metadata = new CheckpointMetadata { Source = CheckpointSource.Fork } }, CheckpointDurability.PerStepSync);

        Assert.That((await Store.GetAsync("t"))!.ParentId, Is.EqualTo(1));
    }
}
