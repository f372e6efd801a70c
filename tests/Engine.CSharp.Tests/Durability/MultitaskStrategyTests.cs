using Graph.Engine.Graphs;
using Graph.Engine.Tests.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>Double texting: a run started on a thread with a run in flight, under each <see cref="MultitaskStrategy"/>.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class MultitaskStrategyTests(StoreKind kind) : StoreFixture(kind)
{
    private SemaphoreSlim entered = null!;
    private SemaphoreSlim release = null!;
    private int calls;

    [SetUp]
    public void CreateGates()
    {
        entered = new SemaphoreSlim(0);
        release = new SemaphoreSlim(0);
        calls = 0;
    }

    [TearDown]
    public void DisposeGates()
    {
        entered.Dispose();
        release.Dispose();
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderReject_ThrowsAndTheRunningRunGoesOn()
    {
        await using var compiled = Gated().Compile(Options());
        var first = compiled.RunAsync(["first"], new RunOptions { ThreadId = "t", RunId = "r1" });
        await Wait.For(entered.WaitAsync(), "the first run entered 'a'");

        var exception = await Assert.ThrowsAsync<GraphThreadBusyException>(() => compiled.RunAsync(["second"], new RunOptions { ThreadId = "t", RunId = "r2" }));

        Assert.That(exception!.Message, Does.Contain("Thread 't' already has a run in flight (run 'r1')").And.Contain("Reject"));
        Assert.That((exception.ThreadId, exception.RunningRunId), Is.EqualTo(("t", "r1")));
        release.Release();
        Assert.That((await first.WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "first", "a", "b" }));
        release.Release();
        Assert.That((await compiled.RunAsync(["third"], new RunOptions { ThreadId = "t" }).WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "third", "a", "b" }), "the thread is free once the run ended");
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderEnqueue_StartsAfterTheRunningRunEnds()
    {
        await using var compiled = Gated().Compile(Options());
        var first = compiled.RunAsync(["first"], new RunOptions { ThreadId = "t", RunId = "r1" });
        await Wait.For(entered.WaitAsync(), "the first run entered 'a'");

        var second = compiled.RunAsync(["second"], new RunOptions { ThreadId = "t", RunId = "r2", MultitaskStrategy = MultitaskStrategy.Enqueue });
        var third = compiled.RunAsync(["third"], new RunOptions { ThreadId = "t", RunId = "r3", MultitaskStrategy = MultitaskStrategy.Enqueue });

        Assert.That((second.IsCompleted, third.IsCompleted, Volatile.Read(ref calls)), Is.EqualTo((false, false, 1)), "queued runs wait");
        release.Release();
        await first.WaitAsync(Wait.Timeout);
        await Wait.For(entered.WaitAsync(), "the second run entered 'a'");
        Assert.That((third.IsCompleted, Volatile.Read(ref calls)), Is.EqualTo((false, 2)), "the third waits for the second");
        release.Release(2);
        Assert.That((await second.WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "second", "a", "b" }));
        Assert.That((await third.WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "third", "a", "b" }));
        await AssertOneChainAsync("t", ["r1", "r2", "r3"]);
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderInterrupt_StopsTheRunningRunAtItsNextStepResumably()
    {
        await using var compiled = Gated().Compile(Options());
        var first = compiled.RunAsync(["first"], new RunOptions { ThreadId = "t", RunId = "r1" });
        await Wait.For(entered.WaitAsync(), "the first run entered 'a'");

        var second = compiled.RunAsync(["second"], new RunOptions { ThreadId = "t", RunId = "r2", MultitaskStrategy = MultitaskStrategy.Interrupt });
        release.Release();
        var stopped = await first.WaitAsync(Wait.Timeout);

        Assert.That(stopped.IsInterrupted, Is.True, "the running run ended interrupted");
        Assert.That(stopped.Interrupts.Select(i => (i.Node, i.Kind)), Is.EqualTo(new[] { ("b", InterruptKind.Before) }));
        Assert.That(stopped.State, Is.EqualTo(new[] { "first", "a" }), "the step in flight finished and was saved");
        await Wait.For(entered.WaitAsync(), "the second run entered 'a'");
        release.Release();
        Assert.That((await second.WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "second", "a", "b" }));
        var history = await compiled.GetStateHistoryAsync("t");
        var saved = history.Single(s => s.CheckpointId == stopped.CheckpointId);
        Assert.That(saved.Next, Is.EqualTo(new[] { "b" }), "the interrupted run's checkpoint plans its remaining task");
        await AssertOneChainAsync("t", ["r1", "r2"]);
    }

    [Test]
    public async Task RunAsync_ThreadBusyUnderRollback_CancelsTheRunningRunAndDeletesItsCheckpoints()
    {
        await using var compiled = Gated().Compile(Options());
        release.Release();
        await compiled.RunAsync(["zero"], new RunOptions { ThreadId = "t", RunId = "r0" }).WaitAsync(Wait.Timeout);
        await Wait.For(entered.WaitAsync(), "the earlier run passed 'a'");
        var before = (await compiled.GetStateHistoryAsync("t")).Select(s => s.CheckpointId).ToList();
        var first = compiled.RunAsync(["first"], new RunOptions { ThreadId = "t", RunId = "r1" });
        await Wait.For(entered.WaitAsync(), "the first run entered 'a'");

        var second = compiled.RunAsync(["second"], new RunOptions { ThreadId = "t", RunId = "r2", MultitaskStrategy = MultitaskStrategy.Rollback });

        var cancelled = await Assert.CatchAsync<OperationCanceledException>(async () => await first.WaitAsync(Wait.Timeout));
        Assert.That(cancelled!.Message, Does.Contain("rolled back"));
        await Wait.For(entered.WaitAsync(), "the second run entered 'a'");
        release.Release();
        Assert.That((await second.WaitAsync(Wait.Timeout)).State, Is.EqualTo(new[] { "second", "a", "b" }));
        var history = await compiled.GetStateHistoryAsync("t");
        Assert.That(history.Select(s => s.Metadata.Properties["run_id"]), Does.Not.Contain("r1"), "the rolled-back run left nothing");
        Assert.That(history.Select(s => s.CheckpointId).Where(before.Contains), Is.EquivalentTo(before), "earlier runs are kept");
        await AssertOneChainAsync("t", ["r0", "r2"]);
    }

    [Test]
    public async Task RunAsync_RollbackRepeated20Times_EachLeavesOneChain()
    {
        await using var compiled = Gated().Compile(Options());
        for (var round = 0; round < 20; round++)
        {
            var thread = $"t{round}";
            var first = compiled.RunAsync(["first"], new RunOptions { ThreadId = thread, RunId = $"a{round}" });
            await Wait.For(entered.WaitAsync(), $"round {round}: the first run entered 'a'");
            var second = compiled.RunAsync(["second"], new RunOptions { ThreadId = thread, RunId = $"b{round}", MultitaskStrategy = MultitaskStrategy.Rollback });
            await Assert.CatchAsync<OperationCanceledException>(async () => await first.WaitAsync(Wait.Timeout));
            await Wait.For(entered.WaitAsync(), $"round {round}: the second run entered 'a'");
            release.Release();
            await second.WaitAsync(Wait.Timeout);
            await AssertOneChainAsync(thread, [$"b{round}"]);
        }
    }

    /// <summary>START → a → b → END; 'a' signals <see cref="entered"/> and waits for <see cref="release"/> (cancellably; a cancelled run's 'a' never keeps a count).</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Gated() => TestGraphs.Trace()
        .AddNode("a", async (s, ctx) =>
        {
            Interlocked.Increment(ref calls);
            entered.Release();
            await release.WaitAsync(ctx.CancellationToken);
            if (ctx.CancellationToken.IsCancellationRequested)
            {
                // SemaphoreSlim removes a cancelled waiter asynchronously, so a cancelled run's 'a' can still take a
                // count released for the next run: hand it on.
                release.Release();
                ctx.CancellationToken.ThrowIfCancellationRequested();
            }

            return TestGraphs.Log("a");
        })
        .AddNode("b", s => TestGraphs.Log("b"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "b")
        .AddEdge("b", StateGraph.End);

    /// <summary>The thread's history is one chain, written by these runs in this order.</summary>
    private async Task AssertOneChainAsync(string thread, string[] runs)
    {
        var history = await TestStore.Store.ListAsync(thread).WaitAsync(Wait.Timeout);
        Assert.That(history.Zip(history.Skip(1)).All(pair => pair.First.ParentId == pair.Second.Id), Is.True, "one chain");
        var writers = history.Reverse().Select(c => c.Metadata.Properties["run_id"]).Distinct();
        Assert.That(writers, Is.EqualTo(runs));
    }
}
