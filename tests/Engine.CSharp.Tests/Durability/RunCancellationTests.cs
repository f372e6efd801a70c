using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Durability;

/// <summary>Cancelling persisted runs: they end Canceled, and only once their saves are settled.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class RunCancellationTests(StoreKind kind) : StoreFixture(kind)
{
    private const int Ticks = 12;

    [TestCase(CheckpointDurability.PerStepSync)]
    [TestCase(CheckpointDurability.Async)]
    [TestCase(CheckpointDurability.AtExit)]
    public async Task InvokeAsync_AlreadyCancelledToken_EndsCanceledWithThatToken(CheckpointDurability durability)
    {
        await using var compiled = Ticker().Compile(Options(durability));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }, cancelled.Token);

        var exception = await Assert.CatchAsync<OperationCanceledException>(async () => await run.Bounded());
        Assert.That(run.IsCanceled, Is.True, $"the run ended {run.Status}: {run.Exception}");
        Assert.That(exception!.CancellationToken, Is.EqualTo(cancelled.Token));
    }

    [Test]
    public async Task InvokeAsync_CancelledWhileAPerStepSyncPutIsHeld_CompletesOnlyAfterThePutSettles()
    {
        var store = new HeldPutCheckpointer(TestStore.Store) { HoldId = 4, Release = TestGraphs.NewGate() };
        await using var compiled = Ticker().Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
        using var cancel = new CancellationTokenSource();

        var run = compiled.InvokeAsync([], new RunOptions { ThreadId = "t" }, cancel.Token);
        await store.Reached.Task.Bounded();
        await cancel.CancelAsync();

        Assert.That(run.IsCompleted, Is.False, "the run completed while its last save was still pending");
        store.Release.TrySetResult();
        await Assert.CatchAsync<OperationCanceledException>(async () => await run.Bounded());
        Assert.That((await TestStore.Store.GetAsync("t").Bounded())!.Id, Is.EqualTo(4));
    }

    [Test]
    public async Task ResumeAsync_AtOnceAfterCancellingAPerStepSyncRun_Succeeds100Times()
    {
        var store = new HeldPutCheckpointer(TestStore.Store) { HoldId = 4 };
        await using var compiled = Ticker().Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var thread = $"t{iteration}";
            store.Reached = TestGraphs.NewGate();
            store.Release = TestGraphs.NewGate();
            using var cancel = new CancellationTokenSource();
            var run = compiled.InvokeAsync([], new RunOptions { ThreadId = thread }, cancel.Token);
            await store.Reached.Task.Bounded();
            await cancel.CancelAsync();
            store.Release.TrySetResult();
            await Assert.CatchAsync<OperationCanceledException>(async () => await run.Bounded(), $"iteration {iteration}");

            var resumed = await compiled.ResumeAsync(thread).Bounded();

            Assert.That(resumed.State, Has.Count.EqualTo(Ticks), $"iteration {iteration}");
            var history = await TestStore.Store.ListAsync(thread).Bounded();
            Assert.That(history.Zip(history.Skip(1)).All(pair => pair.First.ParentId == pair.Second.Id), Is.True, $"iteration {iteration}: one chain");
        }
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Ticker() => TestGraphs.Trace()
        .AddNode("tick", s => TestGraphs.Log("tick"))
        .AddEdge(StateGraph.Start, "tick")
        .AddConditionalEdges("tick", s => s.Count < Ticks ? "tick" : StateGraph.End, "tick", StateGraph.End);
}
