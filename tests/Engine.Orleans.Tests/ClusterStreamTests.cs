using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests;

/// <summary>A run's events streamed from its silo to the client, on a two-silo in-process cluster.</summary>
[TestFixture]
public sealed class ClusterStreamTests
{
    private TestCluster cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await Clusters.StartAsync(2);

    [OneTimeTearDown]
    public async Task StopCluster() => await cluster.DisposeAsync();

    [Test]
    public async Task StreamAsync_Chain_YieldsTheEventsOfAnInProcessStream()
    {
        var graph = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Chain);
        var events = await Wait.For(CollectAsync(graph.StreamAsync(7, new RunOptions { ThreadId = Guid.NewGuid().ToString("N") })), "the streamed run ends");

        await using var local = TestGraphs.BuildChain("local");
        var expected = await CollectAsync(local.StreamAsync(7, new RunOptions { ThreadId = Guid.NewGuid().ToString("N") }));

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(Describe), Is.EqualTo(expected.Select(Describe)));
            Assert.That(events.Select(e => e.Id), Is.Ordered.Ascending.And.Unique);
            Assert.That(events[^1], Is.TypeOf<RunFinishedEvent<int>>().With.Property("State").EqualTo(22));
            Assert.That(events.OfType<TaskFinishedEvent<int>>().Select(e => e.Result.Update), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        });
    }

    [Test]
    public async Task StreamAsync_StoppedEarly_CancelsTheRun()
    {
        var thread = Guid.NewGuid().ToString("N");
        var graph = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Gated);
        await foreach (var e in graph.StreamAsync(0, new RunOptions { ThreadId = thread }))
        {
            if (e is TaskStartedEvent { Node: "hold" })
            {
                break; // the run holds at the gate, which is never released
            }
        }

        var next = new ClusterGraph<int, int>(cluster.Client, TestGraphs.Gated, new ClusterGraphOptions { DoubleTexting = DoubleTexting.Enqueue });
        var result = await Wait.For(next.RunAsync(5, new RunOptions { ThreadId = thread }), "the next run starts after the cancelled one and ends");

        Assert.Multiple(() =>
        {
            Assert.That(result.State, Is.EqualTo(116));
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(1), "only the next run got past the gate");
        });
    }

    private static string Describe(GraphEvent e) => e.GetType().Name + "@" + e.Step;

    private static async Task<List<GraphEvent>> CollectAsync(IAsyncEnumerable<GraphEvent> stream)
    {
        var events = new List<GraphEvent>();
        await foreach (var e in stream)
        {
            events.Add(e);
        }

        return events;
    }
}
