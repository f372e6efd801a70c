using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests;

/// <summary>A subgraph node run on its own: the isolated context plays the parent (its thread, step and resume values).</summary>
public class SubgraphIsolationTests
{
    private static StateGraph<string, string> Writer() =>
        new StateGraph<string, string>(Reducers.Replace<string>())
            .AddNode("draft", (string topic) => $"draft on {topic}")
            .AddNode("review", (string draft, NodeContext ctx) => ctx.Interrupt<string>($"publish {draft}?") == "yes" ? $"{draft}: published" : "discarded")
            .AddEdge(StateGraph.Start, "draft").AddEdge("draft", "review").AddEdge("review", StateGraph.End);

    private static CompiledGraph<string, string> Parent(CompiledGraph<string, string> child) =>
        new StateGraph<string, string>(Reducers.Replace<string>())
            .AddSubgraph("write", child, topic => topic.ToUpperInvariant(), result => $"[{result}]")
            .AddEdge(StateGraph.Start, "write").AddEdge("write", StateGraph.End)
            .Compile();

    [Test]
    public async Task RunNodeAsync_SubgraphNode_RunsTheChildToItsEndAndMapsItsOutput()
    {
        var child = new StateGraph<string, string>(Reducers.Replace<string>())
            .AddNode("draft", (string topic) => $"draft on {topic}")
            .AddEdge(StateGraph.Start, "draft").AddEdge("draft", StateGraph.End)
            .Compile();
        await using var parent = Parent(child);

        var run = await parent.RunNodeAsync("write", "tests");

        Assert.That(run.Update, Is.EqualTo("[draft on TESTS]"));
    }

    [Test]
    public async Task RunNodeAsync_DurableSubgraphInterrupts_FakeParentResumesIt()
    {
        var store = new InMemoryCheckpointer();
        await using var child = Writer().Compile(new GraphCompileOptions { Checkpointer = store });
        await using var parent = Parent(child);
        var fakeParent = new IsolatedContext { ThreadId = "parent", ResumeValues = [] };

        var stopped = await Assert.ThrowsAsync<NodeInterruptException>(() => parent.RunNodeAsync("write", "tests", fakeParent));
        Assert.That(stopped!.Interrupt.Value, Is.EqualTo("publish draft on TESTS?"), "the child's interrupt stops the parent task with the child's value");
        var childState = await child.GetStateAsync("parent|1:0:write");
        Assert.That(childState!.Next, Is.EqualTo(new[] { "review" }), "the child checkpoints on the parent task's namespace");

        var answered = await parent.RunNodeAsync("write", "tests", fakeParent with { ResumeValues = ["yes"] });
        Assert.That(answered.Update, Is.EqualTo("[draft on TESTS: published]"), "the resume value reaches the child, which continues where it stopped");
    }
}
