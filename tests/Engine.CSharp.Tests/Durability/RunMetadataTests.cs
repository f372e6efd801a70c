using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>The metadata properties a run records in each of its checkpoints: its run id and the graph's fingerprint.</summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public class RunMetadataTests(StoreKind kind) : StoreFixture(kind)
{
    [Test]
    public async Task InvokeAsync_TwoRuns_EachCheckpointNamesItsRunAndTheGraph()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t", RunId = "first" }).Bounded();
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t", RunId = "second" }).Bounded();

        var history = await TestStore.Store.ListAsync("t").Bounded();

        Assert.That(history.Select(c => c.Metadata.Properties["run_id"]), Is.EqualTo(new[] { "second", "second", "second", "first", "first", "first" }));
        var first = history[^1].Metadata.Properties;
        var second = history[0].Metadata.Properties;
        Assert.That(first.Keys, Is.EquivalentTo(new[] { "run_id", "graph", "graph.nodes", "graph.update" }));
        Assert.That(first.Count, Is.EqualTo(4));
        Assert.That(first["graph.nodes"], Is.EqualTo("a\nb"));
        Assert.That(first["graph"], Is.EqualTo(second["graph"]).And.Length.EqualTo(32));
        Assert.That(first.Values, Does.Contain("first").And.Contain("System.Int32"));
        Assert.That(first.ContainsKey("graph.update") && !first.ContainsKey("missing"), Is.True);
        Assert.That(() => first["missing"], Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("'missing'"));
    }

    [Test]
    public async Task StreamAsync_GeneratedRunIds_CheckpointsNameTheIdTheRunsEventsCarry()
    {
        await using var compiled = Chain().Compile(Options());
        var eventIds = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            await foreach (var e in compiled.StreamAsync(1, new RunOptions { ThreadId = "t" }).WithCancellation(CancellationToken.None))
            {
                if (e is RunFinishedEvent<int> finished)
                {
                    eventIds.Add(finished.RunId);
                }
            }
        }

        var history = await TestStore.Store.ListAsync("t").Bounded();

        Assert.That(eventIds, Has.Count.EqualTo(2).And.Unique);
        Assert.That(eventIds, Has.All.Length.EqualTo(32));
        Assert.That(history.Select(c => c.Metadata.Properties["run_id"]), Is.EqualTo(new[] { eventIds[1], eventIds[1], eventIds[1], eventIds[0], eventIds[0], eventIds[0] }));
    }

    [Test]
    public async Task InvokeAsync_GeneratedRunId_ReadTwiceTheSameText()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t" }).Bounded();

        var properties = (await TestStore.Store.GetAsync("t").Bounded())!.Metadata.Properties;

        Assert.That(properties["run_id"], Is.EqualTo(properties.First(p => p.Key == "run_id").Value).And.Length.EqualTo(32));
    }

    [Test]
    public async Task InvokeAsync_Checkpoints_MetadataEqualsACopyOfItself()
    {
        await using var compiled = Chain().Compile(Options());
        await compiled.InvokeAsync(1, new RunOptions { ThreadId = "t", RunId = "r" }).Bounded();

        var latest = (await TestStore.Store.GetAsync("t").Bounded())!;
        var copy = latest with { Metadata = latest.Metadata with { Properties = new Dictionary<string, string>(latest.Metadata.Properties) } };

        Assert.That(copy, Is.EqualTo(latest));
        Assert.That(latest with { Metadata = latest.Metadata with { Properties = new Dictionary<string, string> { ["run_id"] = "r" } } }, Is.Not.EqualTo(latest));
    }

    private static StateGraph<int, int> Chain() => new StateGraph<int, int>(Reducers.Sum<int>())
        .AddNode("a", _ => 1)
        .AddNode("b", _ => 1)
        .AddEdge(StateGraph.Start, "a")
        .AddEdge("a", "b")
        .AddEdge("b", StateGraph.End);
}
