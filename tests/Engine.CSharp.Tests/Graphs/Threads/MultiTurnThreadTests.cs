using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Tests.Graphs.Threads;

/// <summary>ContinueAsync: LangGraph's chat pattern, a thread invoked again with new input applied as an update.</summary>
[TestFixture]
public sealed class MultiTurnThreadTests
{
    [Test]
    public async Task ContinueAsync_EveryTurnTheSameCall_KeepsEarlierTurns()
    {
        await using var chat = Chat(new InMemoryCheckpointer());

        var first = await chat.ContinueAsync("t", [], ["hi"]).Bounded();
        var second = await chat.ContinueAsync("t", [], ["bye"]).Bounded();

        Assert.That(first.State, Is.EqualTo(new[] { "hi", "reply:hi" }));
        Assert.That(second.State, Is.EqualTo(new[] { "hi", "reply:hi", "bye", "reply:bye" }));
        Assert.That(second.Status, Is.EqualTo(GraphRunStatus.Completed));
    }

    [Test]
    public async Task ContinueAsync_AfterRunAsync_AppliesTheInputThroughTheReducer()
    {
        await using var chat = Chat(new InMemoryCheckpointer());
        await chat.RunAsync(["hi"], new RunOptions { ThreadId = "t" }).Bounded();

        var second = await chat.ContinueAsync("t", ["bye"]).Bounded();
        var history = await chat.GetStateHistoryAsync("t").Bounded();

        Assert.That(second.State, Is.EqualTo(new[] { "hi", "reply:hi", "bye", "reply:bye" }));
        Assert.That(history[1].Metadata.Source, Is.EqualTo(CheckpointSource.Update));
        Assert.That(history[1].Next, Is.EqualTo(new[] { "reply" }));
    }

    [Test]
    public async Task ContinueAsync_ThreadWithoutCheckpoint_ThrowsNamingHowToStartIt()
    {
        await using var chat = Chat(new InMemoryCheckpointer());

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await chat.ContinueAsync("new", ["hi"]).Bounded());

        Assert.That(exception!.Message, Does.Contain("'new'").And.Contain("ContinueAsync(threadId, initial, input)"));
    }

    [Test]
    public async Task ContinueAsync_InterruptedThread_DropsThePendingTaskAndRunsTheNewTurn()
    {
        await using var chat = Chat(new InMemoryCheckpointer());
        var asked = await chat.ContinueAsync("t", [], ["ask"]).Bounded();

        var next = await chat.ContinueAsync("t", ["x"]).Bounded();

        Assert.That(asked.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        Assert.That(next.Status, Is.EqualTo(GraphRunStatus.Completed));
        Assert.That(next.State, Is.EqualTo(new[] { "ask", "x", "reply:x" }));
    }

    [Test]
    public async Task ContinueAsync_KeyedMessages_AccumulateAcrossTurns()
    {
        var schema = new KeyedStateSchema().Topic<string>("messages", accumulate: true).Reducer("turns", Reducers.Sum<int>(), 0);
        await using var graph = schema.CreateGraph()
            .AddNode("bot", s => KeyedUpdate.Of("messages", "echo:" + s.Get<string[]>("messages")[^1]).Set("turns", 1))
            .AddEdge(StateGraph.Start, "bot")
            .AddEdge("bot", StateGraph.End)
            .Compile(checkpointer: new InMemoryCheckpointer());

        await graph.ContinueAsync("t", schema.CreateState(), KeyedUpdate.Of("messages", "a")).Bounded();
        var second = await graph.ContinueAsync("t", schema.CreateState(), KeyedUpdate.Of("messages", "b")).Bounded();

        Assert.That(second.State.ToString(), Is.EqualTo("{messages=[a, echo:a, b, echo:b], turns=2}"));
    }

    /// <summary>START → reply → END; reply answers the last message, or interrupts when it is "ask".</summary>
    private static CompiledGraph<IReadOnlyList<string>, IReadOnlyList<string>> Chat(ICheckpointer store) =>
        TestGraphs.Trace()
            .AddNode("reply", (s, ctx) => s[^1] == "ask" ? TestGraphs.Log("answer:" + ctx.Interrupt<string>("what?")) : TestGraphs.Log("reply:" + s[^1]))
            .AddEdge(StateGraph.Start, "reply")
            .AddEdge("reply", StateGraph.End)
            .Compile(checkpointer: store);
}
