using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Streaming;

/// <summary>A stream carries the kinds of events asked for, and subgraph events with their namespace.</summary>
public class StreamModesTests
{
    [TestCase(StreamModes.Values, new[] { "StepFinishedEvent`1", "StepFinishedEvent`1", "RunFinishedEvent`1" })]
    [TestCase(StreamModes.Updates, new[] { "TaskFinishedEvent`1", "TaskFinishedEvent`1", "RunFinishedEvent`1" })]
    [TestCase(StreamModes.Custom, new[] { "CustomEvent", "RunFinishedEvent`1" })]
    [TestCase(StreamModes.Tasks, new[] { "TaskStartedEvent", "TaskFinishedEvent`1", "TaskStartedEvent", "TaskFinishedEvent`1", "RunFinishedEvent`1" })]
    [TestCase(StreamModes.None, new[] { "RunFinishedEvent`1" })]
    public async Task StreamAsync_Modes_YieldOnlyThoseKinds(StreamModes modes, string[] expected)
    {
        await using var compiled = TwoSteps().Compile();

        var events = await CollectAsync(compiled.StreamAsync(1, new StreamOptions { Modes = modes }));

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.GetType().Name), Is.EqualTo(expected));
            Assert.That(events.Select(e => e.Id), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)), "ids count what the stream carries");
        });
    }

    [Test]
    public async Task StreamAsync_SubgraphsMode_WrapsTheChildsEventsWithTheirNamespace()
    {
        var child = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("inner", s => s * 10)
            .AddEdge(StateGraph.Start, "inner").AddEdge("inner", StateGraph.End)
            .Compile();
        await using var _ = child;
        await using var parent = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddSubgraph("sub", child, s => s, s => s + 1)
            .AddEdge(StateGraph.Start, "sub").AddEdge("sub", StateGraph.End)
            .Compile();

        var with = await CollectAsync(parent.StreamAsync(2, new StreamOptions { Modes = StreamModes.Updates | StreamModes.Subgraphs }));
        var without = await CollectAsync(parent.StreamAsync(2, new StreamOptions { Modes = StreamModes.Updates }));

        var nested = with.OfType<SubgraphEvent>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(nested.Namespace, Is.EqualTo("1:0:sub"));
            Assert.That(nested.Step, Is.EqualTo(1));
            Assert.That(nested.Event, Is.TypeOf<TaskFinishedEvent<int>>().With.Property("Node").EqualTo("inner"));
            Assert.That(((TaskFinishedEvent<int>)nested.Event).Result.Update, Is.EqualTo(20));
            Assert.That(with.OfType<TaskFinishedEvent<int>>().Single().Node, Is.EqualTo("sub"));
            Assert.That(with[^1], Is.TypeOf<RunFinishedEvent<int>>().With.Property("State").EqualTo(21));
            Assert.That(without.OfType<SubgraphEvent>(), Is.Empty);
        });
    }

    private static StateGraph<int, int> TwoSteps() =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", (int s, NodeContext ctx) =>
            {
                ctx.Emit("hello");
                return s + 1;
            })
            .AddNode("b", s => s * 2)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
}
