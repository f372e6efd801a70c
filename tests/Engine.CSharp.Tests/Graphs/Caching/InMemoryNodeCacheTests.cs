using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>The node cache conformance on <see cref="InMemoryNodeCache"/> (opened again: the same instance), then its size cap.</summary>
public sealed class InMemoryNodeCacheTests : NodeCacheConformanceTests
{
    private static readonly NodeCacheEntry Entry = new(new byte[] { 1 }, null);

    private InMemoryNodeCache cache = null!;
    private InMemoryCheckpointer store = null!;

    [SetUp]
    public void CreateStores()
    {
        cache = new InMemoryNodeCache();
        store = new InMemoryCheckpointer();
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Ctor_MaxEntriesNotPositive_ThrowsNamingIt(int maxEntries)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new InMemoryNodeCache(maxEntries));

        Assert.That(ex!.ParamName, Is.EqualTo("maxEntries"));
        Assert.That(ex.Message, Does.StartWith($"InMemoryNodeCache's maxEntries must be positive (was {maxEntries})"));
    }

    [Test]
    public async Task SetAsync_FullCache_EvictsTheLeastRecentlyUsedEntry()
    {
        var capped = new InMemoryNodeCache(2);
        await capped.SetAsync("n", "old", Entry);
        await capped.SetAsync("n", "used", Entry);
        await capped.GetAsync("n", "old"); // "old" is now the most recently used

        await capped.SetAsync("n", "new", Entry);

        var (used, old, fresh) = (await capped.GetAsync("n", "used"), await capped.GetAsync("n", "old"), await capped.GetAsync("n", "new"));
        Assert.Multiple(() =>
        {
            Assert.That(used, Is.Null, "the least recently used entry went");
            Assert.That(old, Is.Not.Null);
            Assert.That(fresh, Is.Not.Null);
            Assert.That((capped.Count, capped.Evictions, capped.MaxEntries), Is.EqualTo((2, 1L, (int?)2)));
        });
    }

    [Test]
    public async Task SetAsync_ReplacingInAFullCache_EvictsNothing()
    {
        var capped = new InMemoryNodeCache(2);
        await capped.SetAsync("n", "a", Entry);
        await capped.SetAsync("n", "b", Entry);

        await capped.SetAsync("n", "a", Entry with { Value = new byte[] { 2 } });

        var (a, b) = (await capped.GetAsync("n", "a"), await capped.GetAsync("n", "b"));
        Assert.That((capped.Count, capped.Evictions), Is.EqualTo((2, 0L)));
        Assert.That(b, Is.Not.Null);
        Assert.That(a!.Value.ToArray(), Is.EqualTo(new byte[] { 2 }));
    }

    [Test]
    public async Task InvokeAsync_CapOfOne_AnEvictedInputRunsAgainAndIsCachedAgain()
    {
        var calls = 0;
        var capped = new InMemoryNodeCache(1);
        await using var compiled = NodeCacheTests.Doubler(() => calls++, new CachePolicy()).Compile(new GraphCompileOptions { NodeCache = capped });

        await compiled.InvokeAsync(1).Bounded();
        await compiled.InvokeAsync(2).Bounded(); // evicts 1's result
        await compiled.InvokeAsync(1).Bounded(); // runs again, evicts 2's
        var last = await compiled.InvokeAsync(1).Bounded();

        Assert.That((last, calls, capped.Count, capped.Evictions), Is.EqualTo((2, 3, 1, 2L)));
    }

    [Test]
    public async Task SetAsync_EightWritersIntoACappedCache_NeverHoldsMoreThanTheCap()
    {
        var capped = new InMemoryNodeCache(10);
        using var start = new Barrier(8);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            start.SignalAndWait(Wait);
            for (var i = 0; i < 200; i++)
            {
                await capped.SetAsync($"w{writer}", $"{i}", Entry);
                Assert.That(capped.Count, Is.LessThanOrEqualTo(10));
            }
        }))).WaitAsync(Wait);

        Assert.That((capped.Count, capped.Evictions), Is.EqualTo((10, 1590L)));
    }

    protected override Task<INodeCache> OpenCacheAsync() => Task.FromResult<INodeCache>(cache);

    protected override Task<ICheckpointer> OpenCheckpointerAsync() => Task.FromResult<ICheckpointer>(store);
}
