namespace Graph.Engine.Hosts.Tests;

/// <summary>The analyzers inside the Graph.Engine package, run by the real compiler of a user's console app.</summary>
public class AnalyzerHostTests
{
    private const string Program = """
        using Graph.Engine.Graphs;

        var graph = new StateGraph<int, int>((state, update) => state + update)
            .AddNode("draft", s => 1)
            .AddNode("review", s => 2)
            .AddEdge(StateGraph.Start, "draft")
            .AddEdge("draft", "reveiw")
            .AddJoin(["draft", "reviwe"], StateGraph.End);
        System.Console.WriteLine(graph.ToMermaid().Length > 0);
        """;

    [Test]
    public async Task CSharpConsoleApp_EdgeToATypo_BuildWarnsGraph001NamingTheNode()
    {
        var build = await HostApp.BuildAsync("analyzer-app", "C#", Program, "Graph.Engine");

        Assert.Multiple(() =>
        {
            Assert.That(build.Output, Does.Contain("warning GRAPH001: 'reveiw' is not a node of this graph: AddEdge's to names it"), build.Describe());
            Assert.That(build.Output, Does.Contain("warning GRAPH001: 'reviwe' is not a node of this graph: AddJoin's sources names it"), build.Describe());
        });
    }
}
