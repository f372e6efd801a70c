using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs;

public class GraphRendererTests
{
    private static StateGraph<int, int> Sample() => new StateGraph<int, int>(Reducers.Sum<int>())
        .AddNode("plan", s => 1)
        .AddNode("left", s => 1)
        .AddNode("right", s => 1)
        .AddNode("merge", s => 1)
        .AddWorker<int>("map", x => x)
        .AddEdge(StateGraph.Start, "plan")
        .AddConditionalEdges("plan", s => s > 0 ? Route.To("left", "right") : Route.End, "left", "right", StateGraph.End)
        .AddConditionalEdges("left", _ => Send.To("map", 1), "map")
        .AddEdge("map", StateGraph.End)
        .AddJoin(["left", "right"], "merge")
        .AddEdge("merge", StateGraph.End);

    [Test]
    public async Task ToMermaid_SmallGraph_IsExact()
    {
        const string Expected = """
            flowchart TD
                __start__([__start__])
                plan["plan"]
                left["left"]
                right["right"]
                merge["merge"]
                map[["map"]]
                __end__([__end__])
                __start__ --> plan
                map --> __end__
                merge --> __end__
                plan -.-> left
                plan -.-> right
                plan -.-> __end__
                left -.-> map
                left ==> merge
                right ==> merge

            """;
        await using var compiled = Sample().Compile();

        Assert.That(compiled.ToMermaid(), Is.EqualTo(Expected.ReplaceLineEndings("\n")));
        Assert.That(Sample().ToMermaid(), Is.EqualTo(compiled.ToMermaid()));
    }

    [Test]
    public async Task ToDot_SmallGraph_IsExact()
    {
        const string Expected = """
            digraph {
                "__start__" [shape=oval];
                "plan" [shape=box];
                "left" [shape=box];
                "right" [shape=box];
                "merge" [shape=box];
                "map" [shape=box, peripheries=2];
                "__end__" [shape=oval];
                "__start__" -> "plan";
                "map" -> "__end__";
                "merge" -> "__end__";
                "plan" -> "left" [style=dashed];
                "plan" -> "right" [style=dashed];
                "plan" -> "__end__" [style=dashed];
                "left" -> "map" [style=dashed];
                "left" -> "merge" [style=bold];
                "right" -> "merge" [style=bold];
            }

            """;
        await using var compiled = Sample().Compile();

        Assert.That(compiled.ToDot(), Is.EqualTo(Expected.ReplaceLineEndings("\n")));
    }

    [Test]
    public void ToMermaid_NamesThatAreNotIdentifiers_GetSafeIds()
    {
        var g = new StateGraph<int, int>(Reducers.Sum<int>()).AddNode("end", s => 1).AddNode("my node", s => 1)
            .AddEdge(StateGraph.Start, "end").AddEdge("end", "my node").AddEdge("my node", StateGraph.End);

        Assert.That(g.ToMermaid(), Does.Contain("    node_0[\"end\"]\n    node_1[\"my node\"]\n").And.Contain("    node_0 --> node_1\n"));
    }
}
