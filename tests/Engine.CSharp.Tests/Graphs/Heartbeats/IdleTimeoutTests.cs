using System.Collections.Concurrent;
using System.Threading.Channels;
using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Heartbeats;

/// <summary>An idle timeout gives up on an attempt that stops heartbeating, and only on such an attempt.</summary>
public class IdleTimeoutTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_NodeHeartbeatsPastTheIdleTimeout_Finishes()
    {
        var time = new FakeClock();
        var work = Channel.CreateUnbounded<int>();
        var beats = Channel.CreateUnbounded<int>();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("long", async (int s, NodeContext ctx) =>
            {
                for (var i = 0; i < 3; i++)
                {
                    await work.Reader.ReadAsync(ctx.CancellationToken);
                    ctx.Heartbeat();
                    beats.Writer.TryWrite(i);
                }

                return s + 1;
            }, new NodeOptions { IdleTimeout = Idle })
            .AddEdge(StateGraph.Start, "long").AddEdge("long", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(1);
        await time.WhenArmed(Idle);
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(8)); // 24 s in all: more than the idle timeout, less between heartbeats
            work.Writer.TryWrite(i);
            await beats.Reader.ReadAsync().AsTask().Bounded();
        }

        Assert.That(await run.Bounded(), Is.EqualTo(2));
    }

    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_NodeStopsHeartbeating_FailsWithTimeoutNamingNodeStepAndIdleTimeout()
    {
        var time = new FakeClock();
        var beat = NewGate();
        var stuck = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("stuck", async (int s, NodeContext ctx) =>
            {
                ctx.Heartbeat();
                beat.TrySetResult();
                await stuck.Task; // ignores its token: only the idle deadline can end the attempt
                return s;
            }, new NodeOptions { IdleTimeout = Idle })
            .AddEdge(StateGraph.Start, "stuck").AddEdge("stuck", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(1);
        await beat.Task.Bounded();
        await time.WhenArmed(Idle);
        time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.That(run.IsCompleted, Is.False, "not idle yet");
        time.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => run.Bounded());
        stuck.SetResult();

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Node, Is.EqualTo("stuck"));
            Assert.That(ex.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(ex.InnerException!.Message, Does.Contain("'stuck'").And.Contain("step 1").And.Contain("00:00:10").And.Contain("heartbeat"));
        });
    }

    [Test]
    [Repeat(10)]
    public async Task InvokeAsync_IdleFactoryInstanceIgnoresItsToken_RetryUsesAFreshInstanceAndTheOldOneIsDisposedAfterItsCall()
    {
        var time = new FakeClock();
        var nodes = new Silent.Pool();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", nodes.Create, new NodeOptions
            {
                IdleTimeout = Idle,
                Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.Zero },
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0);
        await nodes.FirstEntered.Task.Bounded();
        await time.WhenArmed(Idle);
        time.Advance(Idle);
        var result = await run.Bounded();
        var first = nodes.All[0];

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(1), "the retry ran on another instance");
            Assert.That(nodes.All, Has.Count.EqualTo(2));
            Assert.That(first.Calls, Is.EqualTo(1), "the idle instance is never called again");
            Assert.That(first.Disposed.Task.IsCompleted, Is.False, "not disposed while its call runs");
        });

        nodes.Hold.SetResult();
        await first.Disposed.Task.Bounded();
        Assert.That(first.DisposedWhileRunning, Is.False);
    }

    [Test]
    public void Compile_NonPositiveIdleTimeout_FailsNamingTheNode()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", s => s, new NodeOptions { IdleTimeout = TimeSpan.Zero })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);

        Assert.That(() => graph.Compile(), Throws.TypeOf<GraphValidationException>().With.Message.Contains("Node 'n': IdleTimeout must be positive"));
    }

    [Test]
    public async Task Heartbeat_NodeWithoutIdleTimeout_DoesNothing()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", (int s, NodeContext ctx) =>
            {
                ctx.Heartbeat();
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile();

        Assert.That(await compiled.InvokeAsync(1).Bounded(), Is.EqualTo(2));
    }

    /// <summary>A node whose first instance never heartbeats and ignores its token until <see cref="Pool.Hold"/>; the others answer at once.</summary>
    private sealed class Silent(Silent.Pool pool, bool first) : INode<int, int>, IDisposable
    {
        private int running;

        public int Calls { get; private set; }

        public bool DisposedWhileRunning { get; private set; }

        public TaskCompletionSource Disposed { get; } = NewGate();

        public async ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context)
        {
            Interlocked.Increment(ref running);
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
            private readonly ConcurrentQueue<Silent> all = new();

            public TaskCompletionSource FirstEntered { get; } = NewGate();

            public TaskCompletionSource Hold { get; } = NewGate();

            public IReadOnlyList<Silent> All => [.. all];

            public INode<int, int> Create()
            {
                var node = new Silent(this, all.IsEmpty);
                all.Enqueue(node);
                return node;
            }
        }
    }
}
