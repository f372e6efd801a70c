namespace Graph.Engine.Analyzers.Tests;

public class EdgeTargetAnalyzerTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Graph.Engine.Graphs;

        public sealed record S(int N);
        public sealed record U(int N);

        """;

    [Test]
    public async Task AddEdge_TargetNeverAdded_ReportsItWithTheNodesThereAre()
    {
        var diagnostics = await AnalyzeAsync("""
            var graph = new StateGraph<S, U>((S s, U u) => s);
            graph.AddNode("draft", s => new U(1));
            graph.AddNode("review", s => new U(2));
            graph.AddEdge(StateGraph.Start, "draft");
            graph.AddEdge("draft", "reveiw");
            graph.AddEdge("review", StateGraph.End);
            """);

        Assert.That(diagnostics, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(diagnostics[0].Id, Is.EqualTo("GRAPH001"));
            Assert.That(AnalyzerRun.Text(diagnostics[0]), Is.EqualTo("\"reveiw\""));
            Assert.That(diagnostics[0].GetMessage(), Is.EqualTo("'reveiw' is not a node of this graph: AddEdge's to names it, but no AddNode, AddWorker or AddSubgraph on the same builder adds it (nodes: 'draft', 'review')"));
        });
    }

    [Test]
    public async Task ValidGraph_EveryFormOfReference_ReportsNothing()
    {
        var diagnostics = await AnalyzeAsync("""
            const string Review = "review";
            var graph = new StateGraph<S, U>((S s, U u) => s)
                .AddNode("draft", s => new U(1))
                .AddNode(Review, s => new U(2))
                .AddWorker<int>("work", (i, ctx) => new System.Threading.Tasks.ValueTask<NodeResult<U>>(new U(i)))
                .AddEdge(StateGraph.Start, "draft")
                .AddConditionalEdges("draft", s => Route.To(Review), Review, "work", StateGraph.End)
                .AddConditionalEdges(Review, s => "done", new Dictionary<string, string> { ["done"] = StateGraph.End, ["again"] = "draft" })
                .AddJoin(new[] { "draft", Review }, "work");
            var compiled = graph.Compile();
            """);

        Assert.That(diagnostics, Is.Empty);
    }

    [Test]
    public async Task FluentChainWithoutLocal_UnknownSourceAndTarget_ReportsBoth()
    {
        var diagnostics = await AnalyzeAsync("""
            var compiled = new StateGraph<S, U>((S s, U u) => s)
                .AddNode("a", s => new U(1))
                .AddEdge("start", "a")
                .AddEdge("a", "end")
                .Compile();
            """);

        Assert.That(diagnostics.Select(AnalyzerRun.Text), Is.EqualTo(new[] { "\"start\"", "\"end\"" }));
    }

    [Test]
    public async Task RouterTargetsPathMapAndJoin_UnknownNames_ReportEachWithItsRole()
    {
        var diagnostics = await AnalyzeAsync("""
            var graph = new StateGraph<S, U>((S s, U u) => s);
            graph.AddNode("a", s => new U(1));
            graph.AddNode("b", s => new U(2));
            graph.AddConditionalEdges("a", s => Route.To("b"), "b", "c");
            graph.AddConditionalEdges("b", s => "x", new Dictionary<string, string> { { "x", "a" }, { "y", "d" } });
            graph.AddJoin(new[] { "a", "e" }, "f");
            """);

        Assert.That(diagnostics.Select(d => (AnalyzerRun.Text(d), d.GetMessage().Split(':')[1].Split(',')[0].Trim())), Is.EqualTo(new[]
        {
            ("\"c\"", "AddConditionalEdges's targets names it"),
            ("\"d\"", "AddConditionalEdges's pathMap names it"),
            ("\"e\"", "AddJoin's sources names it"),
            ("\"f\"", "AddJoin's target names it"),
        }));
    }

    [Test]
    public async Task BuilderPassedToAnotherMethod_IsNotChecked()
    {
        var diagnostics = await AnalyzeAsync("""
            var graph = new StateGraph<S, U>((S s, U u) => s);
            AddNodes(graph);
            graph.AddEdge(StateGraph.Start, "added-elsewhere");

            static void AddNodes(StateGraph<S, U> g) => g.AddNode("added-elsewhere", s => new U(1));
            """);

        Assert.That(diagnostics, Is.Empty);
    }

    [TestCase("var name = System.Environment.GetEnvironmentVariable(\"N\") ?? \"a\"; graph.AddNode(name, s => new U(1));")]
    [TestCase("var other = graph.AddNode(\"a\", s => new U(1)); other.AddNode(\"b\", s => new U(2));")]
    [TestCase("Keep.Graph = graph;")]
    public async Task BuilderWhoseNodesAreNotAllVisible_IsNotChecked(string statement)
    {
        var diagnostics = await AnalyzeAsync($$"""
            var graph = new StateGraph<S, U>((S s, U u) => s);
            {{statement}}
            graph.AddEdge("a", "b");
            """, "public static class Keep { public static StateGraph<S, U>? Graph; }");

        Assert.That(diagnostics, Is.Empty);
    }

    [Test]
    public async Task TwoBuilders_NamesAreCheckedPerBuilder()
    {
        var diagnostics = await AnalyzeAsync("""
            var first = new StateGraph<S, U>((S s, U u) => s).AddNode("a", s => new U(1));
            var second = new StateGraph<S, U>((S s, U u) => s).AddNode("b", s => new U(2));
            first.AddEdge(StateGraph.Start, "b");
            second.AddEdge(StateGraph.Start, "b");
            """);

        Assert.That(diagnostics, Has.Count.EqualTo(1));
        Assert.That(diagnostics[0].GetMessage(), Does.StartWith("'b' is not a node of this graph").And.EndWith("(nodes: 'a')"));
    }

    private static Task<IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic>> AnalyzeAsync(string body, string extra = "") =>
        AnalyzerRun.DiagnosticsAsync(Usings + extra + "\npublic static class Program\n{\n    public static void Main()\n    {\n" + body + "\n    }\n}\n");
}
