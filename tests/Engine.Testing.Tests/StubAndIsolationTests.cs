using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

public class StubAndIsolationTests
{
    private static StateGraph<int, int> Pipeline() =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("fetch", (int _) => throw new InvalidOperationException("the network is not there in a unit test"))
            .AddWorker<int>("square", x => x * x)
            .AddNode("report", (int total, NodeContext ctx) =>
            {
                ctx.Emit($"total {total}");
                return 0;
            })
            .AddEdge(StateGraph.Start, "fetch")
            .AddConditionalEdges("fetch", _ => Route.Sends(Send.To("square", 2), Send.To("square", 3)), "square")
            .AddEdge("square", "report")
            .AddEdge("report", StateGraph.End);

    [Test]
    public void Stub_ReplacesNodeByName_WithoutRecompiling()
    {
        using var test = GraphTest.Create(Pipeline());
        test.Run(0).ShouldFailWith<NodeFailedException>();

        test.Stub("fetch", _ => 1);
        test.Run(0)
            .ShouldRunSteps("fetch", "square, square", "report")
            .ShouldHaveUpdates("fetch", 1)
            .ShouldHaveUpdates("square", 4, 9)
            .ShouldHaveStateAfter(2, 14)
            .ShouldFinishWith(14);

        test.StubWorker<int>("square", x => -x);
        test.Run(0).ShouldFinishWith(-4);
        Assert.That(test.RemoveStub("square"), Is.True);
        test.Run(0).ShouldFinishWith(14);
    }

    [Test]
    public void Stub_UnknownNode_NamesTheNodes()
    {
        using var test = GraphTest.Create(Pipeline());
        var error = Assert.Throws<ArgumentException>(() => test.Stub("fecth", _ => 1));
        Assert.That(error!.Message, Does.Contain("no node 'fecth'").And.Contain("fetch, square, report"));
        Assert.Throws<ArgumentException>(() => test.Stub("square", _ => 1), "a worker is stubbed with StubWorker");
    }

    [Test]
    public async Task RunNodeAsync_OneNodeWithStateAndContext_ReturnsUpdateAndEmits()
    {
        await using var compiled = Pipeline().Compile();
        var report = await compiled.RunNodeAsync("report", 42);
        Assert.That(report.Update, Is.EqualTo(0));
        Assert.That(report.Emitted, Is.EqualTo(new object[] { "total 42" }));

        var square = await compiled.RunNodeAsync("square", 0, new IsolatedContext { Argument = 7 });
        Assert.That(square.Update, Is.EqualTo(49));

        var wrong = await Assert.ThrowsAsync<ArgumentException>(() => compiled.RunNodeAsync("square", 0, new IsolatedContext { Argument = "seven" }));
        Assert.That(wrong!.Message, Does.Contain("takes a Int32"));
    }

    [Test]
    public async Task RunNodeAsync_NodeInterrupts_ResumeValuesAnswer()
    {
        var graph = new StateGraph<string, string>(Reducers.Replace<string>())
            .AddNode("review", (string draft, NodeContext ctx) => ctx.Interrupt<string>($"publish {draft}?") == "yes" ? "published" : "discarded")
            .AddEdge(StateGraph.Start, "review")
            .AddEdge("review", StateGraph.End);
        await using var compiled = graph.Compile();
        await Assert.ThrowsAsync<NodeInterruptException>(() => compiled.RunNodeAsync("review", "draft", new IsolatedContext { ResumeValues = [] }));
        var answered = await compiled.RunNodeAsync("review", "draft", new IsolatedContext { ResumeValues = ["yes"] });
        Assert.That(answered.Update, Is.EqualTo("published"));
    }
}
