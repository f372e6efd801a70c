using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class RunTimeoutTests
{
    [Test]
    [Repeat(20)]
    public async Task InvokeAsync_TimeoutFiresWhileTheNextStepIsDispatched_FailsWithTimeoutException()
    {
        var time = new FakeClock();
        var entered = NewGate();
        var release = NewGate();
        Task<int>? run = null;
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", async (int s, NodeContext ctx) =>
            {
                // Registered after the run's own handler, so it runs first when the timeout fires: the step ends and
                // dispatches "b" with the already-cancelled token before the run's handler has named the cancellation.
                ctx.CancellationToken.Register(() =>
                {
                    release.TrySetResult();
                    ((IAsyncResult)run!).AsyncWaitHandle.WaitOne(Wait);
                });
                entered.SetResult();
                await release.Task;
                return s + 1;
            })
            .AddNode("b", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { TimeProvider = time });

        run = compiled.InvokeAsync(0, new RunOptions { RunId = "r", Timeout = TimeSpan.FromMinutes(1) });
        await entered.Task.Bounded();
        await Task.Run(() => time.Advance(TimeSpan.FromMinutes(1))).Bounded();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => run.Bounded());
        Assert.That(ex!.Message, Does.StartWith("Run 'r' exceeded its timeout of 00:01:00"));
    }

    [Test]
    public async Task InvokeAsync_InfiniteTimeout_RunsToTheEnd()
    {
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddNode("b", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();

        var result = await compiled.InvokeAsync(0, new RunOptions { Timeout = System.Threading.Timeout.InfiniteTimeSpan }).Bounded();

        Assert.That(result, Is.EqualTo(2));
    }
}
