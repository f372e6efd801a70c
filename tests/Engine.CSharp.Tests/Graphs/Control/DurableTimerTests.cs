using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs.Control;

[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class DurableTimerTests(StoreKind kind) : StoreFixture(kind)
{
    private static readonly RunOptions Thread = new() { ThreadId = "t" };
    private readonly ConcurrentDictionary<string, int> runs = new();
    private FakeClock clock = null!;

    [SetUp]
    public void Reset()
    {
        runs.Clear();
        clock = new FakeClock();
    }

    private GraphCompileOptions TimedOptions() => Options() with { TimeProvider = clock };

    /// <summary>a -> wait (an hour's durable delay) -> c.</summary>
    private StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> Waiting() => TestGraphs.Trace()
        .AddNode("a", s => Count("a"))
        .AddNode("wait", (s, ctx) =>
        {
            Count("wait");
            ctx.Delay(TimeSpan.FromHours(1));
            return TestGraphs.Log($"woke at {clock.GetUtcNow():HH:mm}");
        })
        .AddNode("c", s => Count("c"))
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "wait")
        .AddEdge("wait", "c")
        .AddEdge("c", StateGraph.End);

    private IReadOnlyList<string> Count(string node)
    {
        runs.AddOrUpdate(node, 1, (_, n) => n + 1);
        return TestGraphs.Log(node);
    }

    [Test]
    public async Task Delay_FirstRun_EndsWaitingWithTheDueTimeCheckpointed()
    {
        var start = clock.GetUtcNow();
        await using var compiled = Waiting().Compile(TimedOptions());

        var result = await compiled.RunAsync([], Thread).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();

        Assert.That((result.Status, result.CheckpointId, result.WakeAt), Is.EqualTo((GraphRunStatus.Waiting, (long?)2, (DateTimeOffset?)start.AddHours(1))));
        Assert.That(result.State, Is.EqualTo(new[] { "a" }));
        Assert.That(result.Interrupts.Single(), Is.EqualTo(new GraphInterrupt("2:0:wait#0", "wait", "2:0:wait", InterruptKind.Timer, new DurableTimer(start.AddHours(1)))));
        Assert.That((snapshot!.WakeAt, snapshot.Next.Single(), snapshot.Interrupts.Single().Kind), Is.EqualTo(((DateTimeOffset?)start.AddHours(1), "wait", InterruptKind.Timer)));
    }

    [Test]
    public async Task ResumeAsync_BeforeTheDueTime_RunsNothingWritesNothingAndIsStillWaiting()
    {
        await using var compiled = Waiting().Compile(TimedOptions());
        var first = await compiled.RunAsync([], Thread).Bounded();
        var before = await TestStore.Store.GetAsync("t").Bounded();

        clock.Advance(TimeSpan.FromMinutes(59));
        var early = await compiled.ResumeAsync("t").Bounded();
        var after = await TestStore.Store.GetAsync("t").Bounded();
        var history = await compiled.GetStateHistoryAsync("t").Bounded();

        Assert.That((early.Status, early.CheckpointId, early.WakeAt), Is.EqualTo((GraphRunStatus.Waiting, (long?)2, first.WakeAt)));
        Assert.That(after!.PendingWrites, Is.EqualTo(before!.PendingWrites));
        Assert.That(history.Select(h => h.CheckpointId), Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(runs["wait"], Is.EqualTo(1));
    }

    [Test]
    public async Task ResumeAsync_AtTheDueTime_TheNodeRunsAgainAndTheDelayReturns()
    {
        await using var compiled = Waiting().Compile(TimedOptions());
        await compiled.RunAsync([], Thread).Bounded();

        clock.Advance(TimeSpan.FromHours(1));
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That((resumed.Status, resumed.WakeAt), Is.EqualTo((GraphRunStatus.Completed, (DateTimeOffset?)null)));
        Assert.That(resumed.State, Is.EqualTo(new[] { "a", "woke at 01:00", "c" }));
        Assert.That(runs.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToArray(), Is.EqualTo(new[] { ("a", 1), ("c", 1), ("wait", 2) }));
    }

    [Test]
    public async Task SleepUntil_BesideASibling_TheSiblingsWriteIsKeptAndNotRunAgain()
    {
        var wakeAt = clock.GetUtcNow().AddDays(1);
        await using var compiled = TestGraphs.Trace()
            .AddNode("sleeper", (s, ctx) =>
            {
                Count("sleeper");
                ctx.SleepUntil(wakeAt);
                return TestGraphs.Log("slept");
            })
            .AddNode("worker", s => Count("worker"))
            .AddEdge(StateGraph.Start, "sleeper")
            .AddEdge(StateGraph.Start, "worker")
            .AddEdge("sleeper", StateGraph.End)
            .AddEdge("worker", StateGraph.End)
            .Compile(TimedOptions());

        var first = await compiled.RunAsync([], Thread).Bounded();
        var input = await TestStore.Store.GetAsync("t", 1).Bounded();
        clock.SetUtcNow(wakeAt.AddSeconds(1));
        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That((first.Status, first.WakeAt), Is.EqualTo((GraphRunStatus.Waiting, (DateTimeOffset?)wakeAt)));
        Assert.That(input!.PendingWrites.Select(w => (w.Node, w.Kind)).OrderBy(w => w.Node), Is.EqualTo(new[] { ("sleeper", PendingWriteKind.Interrupt), ("worker", PendingWriteKind.Update) }));
        Assert.That(resumed.State, Is.EqualTo(new[] { "slept", "worker" }));
        Assert.That(runs.OrderBy(r => r.Key).Select(r => (r.Key, r.Value)).ToArray(), Is.EqualTo(new[] { ("sleeper", 2), ("worker", 1) }));
    }

    [Test]
    public async Task InvokeAsync_Waiting_ThrowsGraphInterruptedExceptionWithTheDueTime()
    {
        await using var compiled = Waiting().Compile(TimedOptions());

        var ex = await Assert.ThrowsAsync<GraphInterruptedException>(async () => await compiled.InvokeAsync([], Thread).Bounded());

        Assert.That((ex!.Status, ex.WakeAt), Is.EqualTo((GraphRunStatus.Waiting, (DateTimeOffset?)clock.GetUtcNow().AddHours(1))));
        Assert.That(ex.Message, Is.EqualTo("The run of thread 't' is waiting at checkpoint 2 until 2026-01-01T01:00:00.0000000+00:00 (2:0:wait#0); resume it with ResumeAsync then."));
    }

    [Test]
    public async Task Delay_WithoutACheckpointer_FailsNamingWhatItNeeds()
    {
        await using var compiled = Waiting().Compile(new GraphCompileOptions { TimeProvider = clock });

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync([]).Bounded());

        Assert.That(ex!.InnerException!.Message, Is.EqualTo("Node 'wait' called SleepUntil or Delay, which needs GraphCompileOptions.Checkpointer and RunOptions.ThreadId so the run can be resumed."));
    }

    [Test]
    public async Task Delay_Negative_FailsTheTask()
    {
        await using var compiled = TestGraphs.Trace()
            .AddNode("n", (s, ctx) =>
            {
                ctx.Delay(TimeSpan.FromSeconds(-1));
                return TestGraphs.Log("n");
            })
            .AddEdge(StateGraph.Start, "n")
            .AddEdge("n", StateGraph.End)
            .Compile(TimedOptions());

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync([], Thread).Bounded());

        Assert.That(ex!.InnerException, Is.TypeOf<ArgumentOutOfRangeException>());
    }
}
