using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class RetryPolicyTests
{
    [TestCase(1)]
    [TestCase(42)]
    public async Task InvokeAsync_JitteredRetry_WaitsTheSeededDelayOnTheInjectedClock(int seed)
    {
        var sample = new Random(seed).NextDouble();
        var jittered = TimeSpan.FromTicks((long)(TimeSpan.FromSeconds(40).Ticks * (0.5 + (0.5 * sample))));
        var expected = TimeSpan.FromMilliseconds(Math.Floor(jittered.TotalMilliseconds)); // timers run in whole milliseconds
        var time = new FakeClock();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", (s, ctx) => ctx.Attempt == 1 ? throw new IOException("once") : ctx.Attempt, new NodeOptions
            {
                Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(40), MaxDelay = TimeSpan.FromMinutes(1), Random = new Random(seed) },
            })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        var run = compiled.InvokeAsync(0);
        await time.WhenArmed(expected);
        time.Advance(expected - TimeSpan.FromTicks(1));
        Assert.That(run.IsCompleted, Is.False, "the retry waits the whole jittered delay");
        time.Advance(TimeSpan.FromTicks(1));

        Assert.That(await run.Bounded(), Is.EqualTo(2));
    }

    [Test]
    public async Task InvokeAsync_RetriesExhausted_FailsWithTheAttemptCountAndTheLastError()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("flaky", int (s, ctx) => throw new IOException($"attempt {ctx.Attempt}"), new NodeOptions
            {
                Retry = new RetryPolicy { MaxAttempts = 4, InitialDelay = TimeSpan.Zero },
            })
            .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
        await using var compiled = graph.Compile();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(() => compiled.InvokeAsync(0).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Attempts, Is.EqualTo(4));
            Assert.That(ex.InnerException!.Message, Is.EqualTo("attempt 4"));
        });
    }

    [Test]
    public async Task InvokeAsync_InterruptInARetriedNode_IsNotRetried()
    {
        var calls = 0;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("ask", (s, ctx) =>
            {
                Interlocked.Increment(ref calls);
                return ctx.Interrupt<int>("value?");
            }, new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero } })
            .AddEdge(StateGraph.Start, "ask").AddEdge("ask", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { Checkpointer = new Graph.Engine.Checkpoints.InMemoryCheckpointer() });

        var result = await compiled.RunAsync(0, new RunOptions { ThreadId = "t" }).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Interrupted));
            Assert.That(calls, Is.EqualTo(1));
        });
    }
}
