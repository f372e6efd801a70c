using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

/// <summary>Stubs for nodes inside a subgraph node's child graph, set by name on the parent's harness.</summary>
public class SubgraphStubTests
{
    /// <summary>A child that fetches (unreachable in a test), drafts, and fans out to a worker per section.</summary>
    private static StateGraph<string, string> Writer(bool review = false)
    {
        var child = new StateGraph<string, string>((state, update) => update.StartsWith('+') ? state + update : update)
            .AddNode("fetch", (string _) => throw new InvalidOperationException("the search service is not there in a unit test"))
            .AddNode("draft", (string facts) => $"draft from {facts}")
            .AddWorker<int>("section", n => $"+ s{n}")
            .AddEdge(StateGraph.Start, "fetch")
            .AddEdge("fetch", "draft")
            .AddConditionalEdges("draft", _ => Route.Sends(Send.To("section", 1), Send.To("section", 2)), "section");
        if (review)
        {
            child.AddNode("review", (string text, NodeContext ctx) => ctx.Interrupt<string>($"publish {text}?") == "yes" ? "published" : "discarded")
                .AddEdge("section", "review")
                .AddEdge("review", StateGraph.End);
        }
        else
        {
            child.AddEdge("section", StateGraph.End);
        }

        return child;
    }

    private static StateGraph<string, string> Parent(CompiledGraph<string, string> child) =>
        new StateGraph<string, string>(Reducers.Replace<string>())
            .AddNode("plan", (string topic) => topic.ToUpperInvariant())
            .AddSubgraph("write", child, topic => topic, result => $"[{result}]")
            .AddEdge(StateGraph.Start, "plan").AddEdge("plan", "write").AddEdge("write", StateGraph.End);

    [Test]
    public async Task Subgraph_StubInnerNode_RunUsesItWithoutRebuilding()
    {
        await using var child = Writer().Compile();
        using var test = GraphTest.Create(Parent(child), seed: 3);
        test.Run("tests").ShouldFailWith<NodeFailedException>();

        var inner = test.Subgraph<string, string>("write").Stub("fetch", topic => $"facts on {topic}");
        test.Run("tests")
            .ShouldRunSteps("plan", "write")
            .ShouldFinishWith("[draft from facts on TESTS+ s1+ s2]");
        Assert.That(test.Scheduler.Trace, Has.Some.Contains("fetch").And.Some.Contains("section"), "the child ran on the test's scheduler");

        inner.StubWorker<int>("section", n => $"+ stub{n}");
        test.Run("tests").ShouldFinishWith("[draft from facts on TESTS+ stub1+ stub2]");
        Assert.That(inner.RemoveStub("fetch"), Is.True);
        test.Run("tests").ShouldFailWith<NodeFailedException>();
        Assert.That(await child.InvokeAsync("direct").ContinueWith(t => t.IsFaulted), Is.True, "the child graph itself is untouched");
    }

    [Test]
    public async Task RunNode_StubInsideIsolatedSubgraph_ChildUsesIt()
    {
        await using var child = Writer().Compile();
        using var test = GraphTest.Create(Parent(child));
        test.Subgraph<string, string>("write").Stub("fetch", _ => "stubbed facts");

        var write = test.RunNode("write", "topic");

        Assert.That(write.Update, Is.EqualTo("[draft from stubbed facts+ s1+ s2]"));
        test.Stub("write", _ => "whole node stubbed");
        Assert.That(test.RunNode("write", "topic").Update, Is.EqualTo("whole node stubbed"), "a stub of the subgraph node itself wins");
    }

    [Test]
    public async Task Subgraph_InheritedStoreChildInterrupts_StubHoldsAcrossResume()
    {
        await using var child = Writer(review: true).Compile(); // no checkpointer: it runs on the parent's store
        using var test = GraphTest.Create(Parent(child), options: new GraphCompileOptions { Checkpointer = new InMemoryCheckpointer() });
        test.Subgraph<string, string>("write").Stub("fetch", _ => "facts");

        var first = test.Run("tests", new RunOptions { ThreadId = "doc" });
        Assert.That(first.ShouldBeInterruptedAt("write").Value, Is.EqualTo("publish draft from facts+ s1+ s2?"));
        test.Resume("doc", Resume.With("yes")).ShouldFinishWith("[published]");

        var isolated = new IsolatedContext { ThreadId = "alone", ResumeValues = [] };
        Assert.Throws<NodeInterruptException>(() => test.RunNode("write", "tests", isolated));
        Assert.That(test.RunNode("write", "tests", isolated with { ResumeValues = ["no"] }).Update, Is.EqualTo("[discarded]"));
    }

    [Test]
    public async Task Subgraph_NestedSubgraph_StubsTheInnermostNode()
    {
        await using var leaf = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("remote", (int _) => throw new InvalidOperationException("remote"))
            .AddEdge(StateGraph.Start, "remote").AddEdge("remote", StateGraph.End)
            .Compile();
        await using var middle = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddSubgraph("leaf", leaf, x => x, x => x * 10)
            .AddEdge(StateGraph.Start, "leaf").AddEdge("leaf", StateGraph.End)
            .Compile();
        var outer = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddSubgraph("middle", middle, x => x, x => x + 1)
            .AddEdge(StateGraph.Start, "middle").AddEdge("middle", StateGraph.End);
        using var test = GraphTest.Create(outer);

        test.Subgraph<int, int>("middle").Subgraph<int, int>("leaf").Stub("remote", _ => 4);

        test.Run(0).ShouldFinishWith(41); // leaf 0 + 4, middle 0 + 40, outer 0 + 41
    }

    [Test]
    public async Task Subgraph_WrongNodeOrTypes_SaysWhatIsWrong()
    {
        await using var child = Writer().Compile();
        using var test = GraphTest.Create(Parent(child));

        var notSubgraph = Assert.Throws<ArgumentException>(() => test.Subgraph<string, string>("plan"));
        Assert.That(notSubgraph!.Message, Does.Contain("'plan' is not a subgraph node"));
        var wrongTypes = Assert.Throws<ArgumentException>(() => test.Subgraph<int, int>("write"));
        Assert.That(wrongTypes!.Message, Does.Contain("CompiledGraph<String, String>").And.Contain("not CompiledGraph<Int32, Int32>"));
        var unknownInner = Assert.Throws<ArgumentException>(() => test.Subgraph<string, string>("write").Stub("fecth", _ => ""));
        Assert.That(unknownInner!.Message, Does.Contain("no node 'fecth'").And.Contain("fetch, draft, section"));
        Assert.Throws<ArgumentException>(() => test.Subgraph<string, string>("nowhere"));
    }
}
