using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Durability;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class TimeTravelTests(StoreKind kind) : StoreFixture(kind)
{
    [Test]
    public async Task UpdateStateAsync_OnAPastCheckpoint_BranchesAndLeavesHistoryUntouched()
    {
        await using var compiled = Counter().Compile(Options());
        var original = await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t" }).Bounded();
        var before = await TestStore.Store.ListAsync("t").Bounded();

        // Checkpoint 2 is after step 1 ("add": 1 + 1 = 2); pretend "add" wrote 100 instead of 1.
        var branch = await compiled.UpdateStateAsync("t", 99, "add", checkpointId: 2).Bounded();
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That(original, Is.EqualTo(4), "(1 + 1) * 2");
        Assert.That((branch.ParentCheckpointId, branch.Metadata.Source, branch.Values), Is.EqualTo(((long?)2, CheckpointSource.Update, 101)));
        Assert.That(branch.Next, Is.EqualTo(new[] { "double" }));
        Assert.That(resumed.State, Is.EqualTo(202));
        var after = await TestStore.Store.ListAsync("t").Bounded();
        Assert.That(after.Where(c => c.Id <= before[0].Id), Is.EqualTo(before));
    }

    [Test]
    public async Task ForkAsync_ThenUpdateAndResume_GivesADifferentResultAndKeepsTheOriginal()
    {
        await using var compiled = Counter().Compile(Options());
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t" }).Bounded();
        var before = await TestStore.Store.ListAsync("t").Bounded();

        var fork = await compiled.ForkAsync("t", 1).Bounded();
        var replayed = await compiled.ResumeAsync("t").Bounded();
        var fork2 = await compiled.ForkAsync("t", 1).Bounded();
        await compiled.UpdateStateAsync("t", 9, StateGraph.Start).Bounded();
        var changed = await compiled.ResumeAsync("t").Bounded();

        Assert.That((fork.CheckpointId, fork.ParentCheckpointId, fork.Metadata.Source, fork.Values), Is.EqualTo((4L, (long?)1, CheckpointSource.Fork, 1)));
        Assert.That(replayed.State, Is.EqualTo(4));
        Assert.That(fork2.CheckpointId, Is.EqualTo(7));
        Assert.That(changed.State, Is.EqualTo(22), "(1 + 9 + 1) * 2");
        var after = await TestStore.Store.ListAsync("t").Bounded();
        Assert.That(after.Where(c => c.Id <= before[0].Id), Is.EqualTo(before));
    }

    [Test]
    public async Task ResumeAsync_WithAnOlderCheckpointId_ReplaysOnAFork()
    {
        await using var compiled = Counter().Compile(Options());
        await compiled.InvokeAsync(3, new RunOptions { ThreadId = "t" }).Bounded();

        var replay = await compiled.ResumeAsync("t", null, new RunOptions { CheckpointId = 2 }).Bounded();

        var history = await compiled.GetStateHistoryAsync("t", limit: 2).Bounded();
        Assert.That(replay.State, Is.EqualTo(8));
        Assert.That(history.Select(h => (h.CheckpointId, h.ParentCheckpointId, h.Metadata.Source)), Is.EqualTo(new (long, long?, CheckpointSource)[]
        {
            (5, 4, CheckpointSource.Loop),
            (4, 2, CheckpointSource.Fork),
        }));
    }

    [Test]
    public async Task GetStateHistoryAsync_LimitAndBefore_PageNewestFirst()
    {
        await using var compiled = Counter().Compile(Options());
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t" }).Bounded();

        var page = await compiled.GetStateHistoryAsync("t", limit: 2, before: 3).Bounded();

        Assert.That(page.Select(p => (p.CheckpointId, p.Values)), Is.EqualTo(new[] { (2L, 2), (1L, 1) }));
    }

    /// <summary>add: +1, then double: state * 2 (as an update of +state).</summary>
    private static StateGraph<int, int> Counter() => new StateGraph<int, int>(Reducers.Sum<int>())
        .AddNode("add", s => 1)
        .AddNode("double", s => s)
        .AddEdge(StateGraph.Start, "add")
        .AddEdge("add", "double")
        .AddEdge("double", StateGraph.End);
}
