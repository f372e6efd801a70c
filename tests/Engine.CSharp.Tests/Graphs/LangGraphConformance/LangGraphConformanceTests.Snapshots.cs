using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.LangGraphConformance;

/// <summary>Snapshots of a step stopped by a failure.</summary>
public sealed partial class LangGraphConformanceTests
{
    /// <summary>
    /// 35. The snapshot of a step stopped by a failure. LangGraph: values include the finished sibling's write,
    /// <c>next</c> lists the failed node (it runs again on resume), and the failed task carries its error.
    /// </summary>
    [Test]
    public async Task GetState_AfterAFailureInAParallelStep_ShowsTheSiblingsWriteAndTheError()
    {
        var bRuns = 0;
        await using var g = Trace()
            .AddNode("b", _ => Interlocked.Increment(ref bRuns) == 1 ? throw new InvalidOperationException("flaky") : Log("b"))
            .AddNode("c", _ => Log("c"))
            .AddEdge(StateGraph.Start, "b").AddEdge(StateGraph.Start, "c")
            .AddEdge("b", StateGraph.End).AddEdge("c", StateGraph.End)
            .SetBranchFailures(BranchFailurePolicy.ContinueOthers) // the sibling always finishes before the step stops
            .Compile(checkpointer: new InMemoryCheckpointer());
        Assert.That(async () => await g.RunAsync([], OnT).Bounded(), Throws.Exception);

        var snapshot = (await g.GetStateAsync("t").Bounded())!;

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Values, Is.EqualTo(new[] { "c" }));
            Assert.That(snapshot.Next, Is.EqualTo(new[] { "b" }));
            Assert.That(snapshot.Errors.Select(e => e.Node), Is.EqualTo(new[] { "b" }));
            Assert.That(snapshot.Errors.Single().Error, Does.Contain("InvalidOperationException").And.Contain("flaky"));
        });

        var done = await g.ResumeAsync("t").Bounded();
        Assert.That(done.State, Is.EqualTo(new[] { "b", "c" }));
        Assert.That((await g.GetStateAsync("t").Bounded())!.Errors, Is.Empty);
    }
}
