using System.Collections.Concurrent;
using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

/// <summary>A node timeout gives up on an attempt without breaking the actor guarantees of factory instances.</summary>
public class NodeTimeoutTests
{
    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_TimedOutCallIgnoresItsToken_RetryUsesAFreshInstanceAndTheOldOneIsDisposedAfterItsCall()
    {
        var time = new FakeClock();
        var nodes = new Stubborn.Pool();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", nodes.Create, new NodeOptions
            {
                Timeout = TimeSpan.FromSeconds(5),
                Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.Zero },
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0);
        await nodes.FirstEntered.Task.Bounded();
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.Bounded();
        var first = nodes.All[0];

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(1), "the retry ran on another instance");
            Assert.That(nodes.All, Has.Count.EqualTo(2));
            Assert.That(first.Calls, Is.EqualTo(1), "the timed-out instance is never called again");
            Assert.That(first.Disposed.Task.IsCompleted, Is.False, "not disposed while its call runs");
        });

        nodes.Hold.SetResult();
        await first.Disposed.Task.Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(first.DisposedWhileRunning, Is.False);
            Assert.That(nodes.All.Select(n => n.MaxRunning), Is.All.EqualTo(1), "one call at a time per instance");
        });
    }

    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_TimedOutCallStillRunning_LaterRunsUseAFreshInstanceAndDisposingTheGraphWaitsForTheCall()
    {
        var time = new FakeClock();
        var nodes = new Stubborn.Pool();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", nodes.Create, new NodeOptions { Timeout = TimeSpan.FromSeconds(5), MaxParallelism = 1 })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var timedOut = compiled.InvokeAsync(0);
        await nodes.FirstEntered.Task.Bounded();
        time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => timedOut.Bounded());
        var results = await Task.WhenAll(compiled.InvokeAsync(10), compiled.InvokeAsync(20)).Bounded();
        await compiled.DisposeAsync().AsTask().Bounded();
        var first = nodes.All[0];

        Assert.Multiple(() =>
        {
            Assert.That(ex!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(results, Is.EqualTo(new[] { 11, 21 }));
            Assert.That(first.Calls, Is.EqualTo(1), "later runs never reach the timed-out instance");
            Assert.That(first.Disposed.Task.IsCompleted, Is.False, "disposing the graph leaves the running call's instance alone");
            Assert.That(nodes.All.Skip(1).Select(n => n.Disposed.Task.IsCompleted), Is.All.True, "the pooled instance is disposed with the graph");
        });

        nodes.Hold.SetResult();
        await first.Disposed.Task.Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(first.DisposedWhileRunning, Is.False);
            Assert.That(nodes.All.Select(n => n.MaxRunning), Is.All.EqualTo(1));
        });
    }

    /// <summary>A node whose first instance ignores its token and waits for <see cref="Pool.Hold"/>; the others answer at once.</summary>
    private sealed class Stubborn(Stubborn.Pool pool, bool first) : INode<int, int>, IDisposable
    {
        private int running;

        public int Calls { get; private set; }

        public int MaxRunning { get; private set; }

        public bool DisposedWhileRunning { get; private set; }

        public TaskCompletionSource Disposed { get; } = NewGate();

        public async ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context)
        {
            var now = Interlocked.Increment(ref running);
            MaxRunning = Math.Max(MaxRunning, now);
            Calls++;
            try
            {
                if (first)
                {
                    pool.FirstEntered.TrySetResult();
                    await pool.Hold.Task.WaitAsync(Wait);
                }

                return state + 1;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        public void Dispose()
        {
            DisposedWhileRunning |= Volatile.Read(ref running) > 0;
            Disposed.TrySetResult();
        }

        public sealed class Pool
        {
            private readonly ConcurrentQueue<Stubborn> all = new();

            public TaskCompletionSource FirstEntered { get; } = NewGate();

            public TaskCompletionSource Hold { get; } = NewGate();

            public IReadOnlyList<Stubborn> All => [.. all];

            public INode<int, int> Create()
            {
                var node = new Stubborn(this, all.IsEmpty);
                all.Enqueue(node);
                return node;
            }
        }
    }
}
