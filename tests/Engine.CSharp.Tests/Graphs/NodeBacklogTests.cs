using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Tasks that find their node's mailbox full wait in the node's backlog, in order, and end with their run.</summary>
public class NodeBacklogTests
{
    [Test]
    public async Task InvokeAsync_ManyRunsBehindAFullMailboxOfOne_AllCompleteWithTheirOwnResults()
    {
        var slow = new SlowNode();
        var graph = slow.AddTo(new StateGraph<int, int>(Reducers.Replace<int>()))
            .AddNode("fast", s => s * 10)
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", "fast").AddEdge("fast", StateGraph.End);
        await using var compiled = graph.Compile();

        var first = Task.Run(() => compiled.InvokeAsync(0));
        await Wait.For(slow.FirstEntered.Task, "the first run to enter the slow node");
        var runs = Enumerable.Range(1, 200).Select(i => Task.Run(() => compiled.InvokeAsync(i))).Prepend(first).ToList();
        Assert.That(runs.Count(r => r.IsCompleted), Is.Zero, "every run waits behind the one slow task");
        slow.Gate.SetResult();
        var results = await Task.WhenAll(runs).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(results, Is.EqualTo(Enumerable.Range(0, 201).Select(i => (i + 1) * 10)));
            Assert.That(slow.Entered, Is.EqualTo(201), "no task is lost or run twice");
        });
    }

    [Test]
    public async Task InvokeAsync_RunCancelledWhileItsTaskWaitsBehindAFullMailbox_EndsCancelledAndItsTaskNeverRuns()
    {
        var slow = new SlowNode();
        var graph = slow.AddTo(new StateGraph<int, int>(Reducers.Replace<int>()))
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", StateGraph.End);
        await using var compiled = graph.Compile();
        var first = Task.Run(() => compiled.InvokeAsync(0));
        await Wait.For(slow.FirstEntered.Task, "the first run to enter the slow node");
        var waiting = Enumerable.Range(1, 5).Select(i => Task.Run(() => compiled.InvokeAsync(i))).ToList();
        using var cancel = new CancellationTokenSource();
        var cancelled = Task.Run(() => compiled.InvokeAsync(100, null, cancel.Token));

        await cancel.CancelAsync();
        var ex = await Assert.CatchAsync<OperationCanceledException>(() => cancelled.Bounded());
        Assert.That(first.IsCompleted, Is.False, "the run ended while the slow node still held its first task");
        slow.Gate.SetResult();
        var results = await Task.WhenAll(waiting.Prepend(first)).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(ex!.CancellationToken, Is.EqualTo(cancel.Token));
            Assert.That(results, Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(slow.Entered, Is.EqualTo(6), "the cancelled run's task never reached the node");
        });
    }

    /// <summary>Node "slow": one task at a time behind a mailbox of one, each held until <see cref="Gate"/> opens.</summary>
    private sealed class SlowNode
    {
        private int entered;

        public TaskCompletionSource Gate { get; } = TestGraphs.NewGate();

        public TaskCompletionSource FirstEntered { get; } = TestGraphs.NewGate();

        public int Entered => Volatile.Read(ref entered);

        public StateGraph<int, int> AddTo(StateGraph<int, int> graph) => graph.AddNode("slow", async (int s, NodeContext ctx) =>
        {
            Interlocked.Increment(ref entered);
            FirstEntered.TrySetResult();
            await Gate.Task.WaitAsync(ctx.CancellationToken);
            return s + 1;
        }, new NodeOptions { MailboxCapacity = 1, MaxParallelism = 1 });
    }
}
