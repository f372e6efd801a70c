using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class CompiledGraphTests
{
    private static StateGraph<int, int> Chain() => new StateGraph<int, int>(Reducers.Replace<int>())
        .AddNode("a", (s, ctx) =>
        {
            ctx.Emit($"hello from {ctx.Node} in step {ctx.Step}");
            return s + 1;
        })
        .AddNode("b", s => s * 10)
        .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);

    [Test]
    public async Task StreamAsync_Chain_YieldsEveryEventInOrder()
    {
        await using var compiled = Chain().Compile();

        var events = await CollectAsync(compiled.StreamAsync(1, new RunOptions { RunId = "r" })).Bounded();

        Assert.That(events.Select(Describe), Is.EqualTo(new[]
        {
            "TaskStarted r 1 a #0",
            "Custom r 1 a: hello from a in step 1",
            "TaskFinished r 1 a #0 -> 2",
            "StepFinished r 1 [a] state 2",
            "TaskStarted r 2 b #0",
            "TaskFinished r 2 b #0 -> 20",
            "StepFinished r 2 [b] state 20",
            "RunFinished r 2 state 20",
        }));
    }

    [Test]
    public async Task StreamAsync_FailingRun_EndsWithRunFailedThenThrows()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("boom", int (s) => throw new InvalidOperationException("boom"))
            .AddEdge(StateGraph.Start, "boom").AddEdge("boom", StateGraph.End);
        await using var compiled = graph.Compile();
        var seen = new List<GraphEvent>();

        var ex = await Assert.ThrowsAsync<NodeFailedException>(async () =>
        {
            await foreach (var e in compiled.StreamAsync(0))
            {
                seen.Add(e);
            }
        });

        Assert.That(seen.Select(e => e.GetType().Name), Is.EqualTo(new[] { "TaskStartedEvent", "RunFailedEvent" }));
        Assert.That(((RunFailedEvent)seen[^1]).Exception, Is.SameAs(ex));
    }

    [Test]
    public async Task StreamAsync_ConsumerStopsEarly_CancelsTheRun()
    {
        var cancelled = NewGate();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("slow", async (s, ctx) =>
            {
                ctx.CancellationToken.Register(() => cancelled.TrySetResult());
                return await NewGate<int>().Task.WaitAsync(ctx.CancellationToken);
            })
            .AddEdge(StateGraph.Start, "slow").AddEdge("slow", StateGraph.End);
        await using var compiled = graph.Compile();

        await foreach (var e in compiled.StreamAsync(0))
        {
            Assert.That(e, Is.TypeOf<TaskStartedEvent>());
            break;
        }

        await cancelled.Task.Bounded();
    }

    [Test]
    public async Task InvokeAsync_NodeContext_CarriesRunAndThreadIds()
    {
        string? seen = null;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", (s, ctx) =>
            {
                seen = $"{ctx.RunId}|{ctx.ThreadId}|{ctx.Node}|{ctx.Step}|{ctx.TaskIndex}|{ctx.TaskId}|{ctx.Attempt}";
                return s;
            })
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        await using var compiled = graph.Compile();

        await compiled.InvokeAsync(0, new RunOptions { RunId = "run-1", ThreadId = "thread-9" }).Bounded();

        Assert.That(seen, Is.EqualTo("run-1|thread-9|a|1|0|1:0:a|1"));
    }

    private static string Describe(GraphEvent e) => e switch
    {
        TaskStartedEvent t => $"TaskStarted {t.RunId} {t.Step} {t.Node} #{t.TaskIndex}",
        CustomEvent c => $"Custom {c.RunId} {c.Step} {c.Node}: {c.Payload}",
        TaskFinishedEvent<int> f => $"TaskFinished {f.RunId} {f.Step} {f.Node} #{f.TaskIndex} -> {f.Result.Update}",
        StepFinishedEvent<int> s => $"StepFinished {s.RunId} {s.Step} [{string.Join(",", s.Nodes)}] state {s.State}",
        RunFinishedEvent<int> r => $"RunFinished {r.RunId} {r.Step} state {r.State}",
        _ => e.ToString(),
    };
}
