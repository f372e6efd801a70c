using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Locks the public surface of Graph.Engine.Graphs: a change must update PublicApi.Graphs.txt deliberately.</summary>
public class PublicApiTests
{
    [Test]
    public void GraphsNamespace_PublicSurface_MatchesTheApprovedFile()
    {
        PublicApi.AssertMatchesApproved("Graph.Engine.Graphs", "Graphs/PublicApi.Graphs.txt");
    }

    [Test]
    public void GraphsNamespace_Docs_ExampleRunsAsDocumented()
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("plan", s => 0)
            .AddWorker<int>("double", x => x * 2)
            .AddNode("done", (s, ctx) =>
            {
                ctx.Emit($"total {s}");
                return 0;
            })
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", s => Route.Sends(Enumerable.Range(1, 3).Select(i => Send.To("double", i))), "double")
            .AddEdge("double", "done")
            .AddEdge("done", StateGraph.End);
        var compiled = graph.Compile();

        Assert.That(compiled.InvokeAsync(0).WaitAsync(TestGraphs.Wait).GetAwaiter().GetResult(), Is.EqualTo(12));
    }
}
