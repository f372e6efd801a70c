using Graph.Engine.Graphs;
using Microsoft.Extensions.Logging;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Streaming;

/// <summary>A stream's buffer is bounded: a slow consumer holds the run back, or events are dropped and counted.</summary>
public class StreamBackPressureTests
{
    [Test]
    [Repeat(10)]
    public async Task StreamAsync_ConsumerStopsReading_RunWaitsOnceTheBufferIsFullAndLosesNothing()
    {
        var calls = 0;
        var go = NewGate();
        var waiting = new WaitSignal();
        using var logging = LoggerFactory.Create(b => b.AddProvider(waiting).SetMinimumLevel(LogLevel.Debug));
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("tick", async (int s, NodeContext _) =>
            {
                await go.Task; // the consumer has read the first event
                Interlocked.Increment(ref calls);
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "tick")
            .AddConditionalEdges("tick", s => s < 20 ? "tick" : StateGraph.End, "tick", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { StepLimit = 50, LoggerFactory = logging });

        await using var events = compiled.StreamAsync(0, new StreamOptions { BufferCapacity = 5 }).GetAsyncEnumerator();
        Assert.That(await events.MoveNextAsync(), Is.True);
        var read = new List<GraphEvent> { events.Current };
        go.SetResult();
        await waiting.Waiting.Task.Bounded();

        // Each step writes 3 events (task started, task finished, step finished); the run checks for room when a
        // step's last task has finished, before the step's own event. With one event read, 1 event is buffered then
        // after step 1, 4 after step 2 and 7 after step 3: the run waits before reducing step 3.
        Assert.That(Volatile.Read(ref calls), Is.EqualTo(3), "the run waits for the consumer");

        while (await events.MoveNextAsync())
        {
            read.Add(events.Current);
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(20));
            Assert.That(read.Select(e => e.Id), Is.EqualTo(Enumerable.Range(1, read.Count).Select(i => (long)i)), "every event, in order");
            Assert.That(read, Has.Count.EqualTo((20 * 3) + 1));
            Assert.That(read[^1], Is.EqualTo(new RunFinishedEvent<int>(read[0].RunId, 20, 20)));
        });
    }

    [Repeat(10)]
    [TestCase(StreamOverflow.DropNewest, new[] { 0, 1, 2, 3, 4 })]
    [TestCase(StreamOverflow.DropOldest, new[] { 97, 98, 99 })]
    public async Task StreamAsync_DropPolicyAndASlowConsumer_DropsAndCountsWithoutHoldingTheRun(StreamOverflow overflow, int[] kept)
    {
        var go = NewGate();
        var emitted = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("chatty", async (int s, NodeContext ctx) =>
            {
                await go.Task;
                for (var i = 0; i < 100; i++)
                {
                    ctx.Emit(i);
                }

                emitted.SetResult();
                return s + 1;
            })
            .AddEdge(StateGraph.Start, "chatty").AddEdge("chatty", StateGraph.End);
        await using var compiled = graph.Compile();

        await using var events = compiled.StreamAsync(0, new StreamOptions { BufferCapacity = 5, Overflow = overflow }).GetAsyncEnumerator();
        Assert.That(await events.MoveNextAsync(), Is.True);
        var read = new List<GraphEvent> { events.Current };
        go.SetResult();
        await emitted.Task.Bounded();
        while (await events.MoveNextAsync())
        {
            read.Add(events.Current);
        }

        var dropped = read.OfType<EventsDroppedEvent>().Single();
        Assert.Multiple(() =>
        {
            // DropOldest: the task's finish and the step's end may also push out the oldest custom events (95, 96)
            // before the consumer reads again; the newest kept are always there.
            Assert.That(read.OfType<CustomEvent>().Select(e => (int)e.Payload!).TakeLast(kept.Length), Is.EqualTo(kept));
            Assert.That(read.OfType<CustomEvent>().Count(), Is.LessThanOrEqualTo(5));
            Assert.That(dropped.Count, Is.GreaterThanOrEqualTo(95));
            Assert.That(dropped.Count, Is.EqualTo(read[^1].Id - read.Count), "every missing id was counted");
            Assert.That(read.Select(e => e.Id), Is.Ordered.Ascending);
            Assert.That(read[^2], Is.SameAs(dropped));
            Assert.That(read[^1], Is.TypeOf<RunFinishedEvent<int>>(), "the run's end is never dropped");
        });
    }

    [Test]
    [Repeat(10)]
    public async Task EmitAsync_BufferFull_WaitsUntilTheConsumerReads()
    {
        var blockedAt = NewGate<int>();
        var go = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("chatty", async (int s, NodeContext ctx) =>
            {
                await go.Task;
                for (var i = 0; i < 10; i++)
                {
                    var emit = ctx.EmitAsync(i);
                    if (!emit.IsCompleted)
                    {
                        blockedAt.TrySetResult(i);
                    }

                    await emit;
                }

                return s + 1;
            })
            .AddEdge(StateGraph.Start, "chatty").AddEdge("chatty", StateGraph.End);
        await using var compiled = graph.Compile();

        await using var events = compiled.StreamAsync(0, new StreamOptions { BufferCapacity = 4 }).GetAsyncEnumerator();
        Assert.That(await events.MoveNextAsync(), Is.True); // task started: read
        go.SetResult();
        var at = await blockedAt.Task.Bounded();
        var read = 1;
        while (await events.MoveNextAsync())
        {
            read++;
        }

        Assert.Multiple(() =>
        {
            Assert.That(at, Is.EqualTo(3), "custom events 0-3 fill the buffer of 4");
            Assert.That(read, Is.EqualTo(1 + 10 + 3), "task started, 10 custom, task finished, step finished, run finished");
        });
    }

    [Test]
    public void StreamAsync_BadOptions_ThrowNamingTheOption()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>()).AddNode("n", s => s).AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        using var compiled = new DisposeOnExit(graph.Compile());

        Assert.Multiple(() =>
        {
            Assert.That(() => compiled.Graph.StreamAsync(0, new StreamOptions { BufferCapacity = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("BufferCapacity"));
            Assert.That(() => compiled.Graph.StreamAsync(0, new StreamOptions { ReplayCapacity = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("ReplayCapacity"));
            Assert.That(() => compiled.Graph.StreamAsync(0, (StreamOptions)null!), Throws.ArgumentNullException);
        });
    }

    private sealed class DisposeOnExit(CompiledGraph<int, int> graph) : IDisposable
    {
        public CompiledGraph<int, int> Graph { get; } = graph;

        public void Dispose() => Graph.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Completes <see cref="Waiting"/> when a run logs that it waits for its stream's consumer.</summary>
    private sealed class WaitSignal : ILoggerProvider, ILogger
    {
        public TaskCompletionSource Waiting { get; } = NewGate();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "GraphStreamWaiting")
            {
                Waiting.TrySetResult();
            }
        }

        public void Dispose()
        {
        }
    }
}
