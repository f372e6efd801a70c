using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using FakeClock = Graph.Engine.Tests.Support.FakeClock;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>A cacheable node runs once per input while its entry is fresh; the cached result is applied as if it had run.</summary>
public class NodeCacheTests
{
    [Test]
    public async Task InvokeAsync_SameInputInALaterRun_SkipsTheNodeAndAppliesTheCachedUpdate()
    {
        var calls = 0;
        await using var compiled = Doubler(() => calls++, new CachePolicy()).Compile(new GraphCompileOptions { NodeCache = new InMemoryNodeCache() });

        var first = await compiled.InvokeAsync(21).Bounded();
        var events = await CollectAsync(compiled.StreamAsync(21));
        var other = await compiled.InvokeAsync(5).Bounded();

        var finished = events.OfType<TaskFinishedEvent<int>>().Single(e => e.Node == "double");
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(42));
            Assert.That(events.OfType<RunFinishedEvent<int>>().Single().State, Is.EqualTo(42), "the cached update was reduced");
            Assert.That(finished.Cached, Is.True, "the event says it was a cache hit");
            Assert.That(finished.Result.Update, Is.EqualTo(42));
            Assert.That(other, Is.EqualTo(10));
            Assert.That(calls, Is.EqualTo(2), "21 ran once, 5 once");
        });
    }

    [Test]
    public async Task InvokeAsync_EntryOlderThanItsTimeToLive_RunsTheNodeAgain()
    {
        var time = new FakeClock();
        var calls = 0;
        var policy = new CachePolicy { TimeToLive = TimeSpan.FromMinutes(1) };
        await using var compiled = Doubler(() => calls++, policy).Compile(new GraphCompileOptions { NodeCache = new InMemoryNodeCache(), TimeProvider = time });

        await compiled.InvokeAsync(1).Bounded();
        time.Advance(TimeSpan.FromSeconds(59));
        await compiled.InvokeAsync(1).Bounded();
        Assert.That(calls, Is.EqualTo(1), "fresh for a minute");

        time.Advance(TimeSpan.FromSeconds(1));
        await compiled.InvokeAsync(1).Bounded();
        Assert.That(calls, Is.EqualTo(2), "expired at exactly its time to live");

        time.Advance(TimeSpan.FromSeconds(59));
        await compiled.InvokeAsync(1).Bounded();
        Assert.That(calls, Is.EqualTo(2), "the new entry is fresh from the second run");
    }

    [Test]
    public async Task ClearAsync_ByKeyAndWholesale_RemovesOnlyThoseEntries()
    {
        var calls = 0;
        var cache = new InMemoryNodeCache();
        var policy = CachePolicy.By<int>(s => $"n{s}");
        await using var compiled = Doubler(() => calls++, policy).Compile(new GraphCompileOptions { NodeCache = cache });
        await compiled.InvokeAsync(1).Bounded();
        await compiled.InvokeAsync(2).Bounded();

        var byKey = await cache.ClearAsync("double", "n1");
        await compiled.InvokeAsync(1).Bounded();
        await compiled.InvokeAsync(2).Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(byKey, Is.EqualTo(1));
            Assert.That(calls, Is.EqualTo(3), "only input 1 ran again");
        });

        var all = await cache.ClearAsync();
        await compiled.InvokeAsync(2).Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(2));
            Assert.That(calls, Is.EqualTo(4));
            Assert.That(() => cache.ClearAsync(key: "n1").AsTask(), Throws.ArgumentException.With.Message.Contains("needs its node"));
        });
    }

    [Test]
    public async Task InvokeAsync_CacheableNode_CountsHitsAndMissesPerNode()
    {
        var node = "double-" + Guid.NewGuid().ToString("N");
        var counts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EngineDiagnostics.SourceName && instrument.Name.StartsWith("graph.cache.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == GraphDiagnostics.NodeTag && (string?)tag.Value == node)
                {
                    counts.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
                }
            }
        });
        listener.Start();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode(node, s => s * 2, new NodeOptions { Cache = new CachePolicy() })
            .AddEdge(StateGraph.Start, node).AddEdge(node, StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { NodeCache = new InMemoryNodeCache() });

        await compiled.InvokeAsync(1).Bounded();
        await compiled.InvokeAsync(1).Bounded();
        await compiled.InvokeAsync(1).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(counts.GetValueOrDefault(GraphDiagnostics.CacheMissesInstrument), Is.EqualTo(1));
            Assert.That(counts.GetValueOrDefault(GraphDiagnostics.CacheHitsInstrument), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task InvokeAsync_CachedWorker_KeysEachSendArgument()
    {
        var calls = new ConcurrentBag<int>();
        var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("fan", s => 0)
            .AddWorker<int>("square", (int n, NodeContext _) =>
            {
                calls.Add(n);
                return n * n;
            }, new NodeOptions { Cache = new CachePolicy() })
            .AddEdge(StateGraph.Start, "fan")
            .AddConditionalEdges("fan", _ => Route.Sends(Send.To("square", 2), Send.To("square", 3), Send.To("square", 2)), "square")
            .AddEdge("square", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { NodeCache = new InMemoryNodeCache() });

        var first = await compiled.InvokeAsync(0).Bounded();
        var second = await compiled.InvokeAsync(0).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(17));
            Assert.That(second, Is.EqualTo(17));
            Assert.That(calls.Count(n => n == 3), Is.EqualTo(1), "3 ran in the first run only");
        });
    }

    [Test]
    public void Compile_CachePolicyWithoutANodeCache_FailsNamingTheNode()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Doubler(() => { }, new CachePolicy()).Compile(), Throws.TypeOf<GraphValidationException>().With.Message.Contains("Node 'double' has a CachePolicy but GraphCompileOptions.NodeCache is null"));
            Assert.That(
                () => Doubler(() => { }, new CachePolicy { TimeToLive = TimeSpan.Zero }).Compile(new GraphCompileOptions { NodeCache = new InMemoryNodeCache() }),
                Throws.TypeOf<GraphValidationException>().With.Message.Contains("Node 'double': Cache.TimeToLive must be positive"));
        });
    }

    internal static StateGraph<int, int> Doubler(Action onCall, CachePolicy policy) =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("double", s =>
            {
                onCall();
                return s * 2;
            }, new NodeOptions { Cache = policy })
            .AddEdge(StateGraph.Start, "double").AddEdge("double", StateGraph.End);
}
