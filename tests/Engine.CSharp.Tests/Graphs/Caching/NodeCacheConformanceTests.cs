using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs.Caching;

/// <summary>
/// What every <see cref="INodeCache"/> does, run against each implementation by a derived fixture: entries read back
/// as stored, replaced, cleared by key, node or wholesale, safe under concurrent writers, and a cached result found by
/// another graph on the cache opened again (for a durable cache: a new connection to the same store).
/// </summary>
public abstract class NodeCacheConformanceTests
{
    private static readonly DateTimeOffset Expiry = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<object> opened = [];

    /// <summary>Opens the cache under test (again: the same store on every call within a test).</summary>
    protected abstract Task<INodeCache> OpenCacheAsync();

    /// <summary>Opens the checkpointer the cache's graphs save to (again: the same store on every call within a test).</summary>
    protected abstract Task<ICheckpointer> OpenCheckpointerAsync();

    /// <summary>Deletes what the test's stores left behind, after they were disposed.</summary>
    protected virtual Task AfterDisposeAsync() => Task.CompletedTask;

    [TearDown]
    public async Task DisposeOpened()
    {
        foreach (var item in opened)
        {
            switch (item)
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }

        opened.Clear();
        await AfterDisposeAsync();
    }

    [Test]
    public async Task GetAsync_WhatWasStored_ReadsBackBytesAndExpiry()
    {
        var cache = await OpenAsync();
        var bytes = new byte[] { 1, 2, 3 };
        await cache.SetAsync("a", "1", new NodeCacheEntry(bytes, Expiry));
        await cache.SetAsync("a", "2", new NodeCacheEntry(new byte[] { 4 }, null));
        bytes[0] = 9;

        var one = await cache.GetAsync("a", "1");
        var two = await cache.GetAsync("a", "2");
        var none = await cache.GetAsync("b", "1");

        Assert.Multiple(() =>
        {
            Assert.That(one!.Value.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }), "the cache keeps its own copy");
            Assert.That(one.ExpiresAt, Is.EqualTo(Expiry));
            Assert.That((two!.Value.ToArray(), two.ExpiresAt), Is.EqualTo((new byte[] { 4 }, (DateTimeOffset?)null)));
            Assert.That(none, Is.Null);
        });
    }

    [Test]
    public async Task SetAsync_SameNodeAndKey_ReplacesTheEntry()
    {
        var cache = await OpenAsync();
        await cache.SetAsync("a", "1", new NodeCacheEntry(new byte[] { 1 }, Expiry));

        await cache.SetAsync("a", "1", new NodeCacheEntry(new byte[] { 2, 2 }, null));

        var read = await cache.GetAsync("a", "1");
        Assert.That((read!.Value.ToArray(), read.ExpiresAt), Is.EqualTo((new byte[] { 2, 2 }, (DateTimeOffset?)null)));
    }

    [Test]
    public async Task ClearAsync_ByNodeKeyOrAll_RemovesThoseEntriesOnly()
    {
        var cache = await OpenAsync();
        var entry = new NodeCacheEntry(new byte[] { 1, 2, 3 }, null);
        await cache.SetAsync("a", "1", entry);
        await cache.SetAsync("a", "2", entry);
        await cache.SetAsync("b", "1", entry);

        var missing = await cache.ClearAsync("a", "9");
        var one = await cache.ClearAsync("a", "1");
        var node = await cache.ClearAsync("a");
        var left = await cache.GetAsync("b", "1");
        var all = await cache.ClearAsync();

        Assert.Multiple(() =>
        {
            Assert.That((missing, one, node, all), Is.EqualTo((0, 1, 1, 1)));
            Assert.That(left, Is.Not.Null, "another node's entry stays");
            Assert.That(() => cache.ClearAsync(key: "1").AsTask(), Throws.ArgumentException.With.Message.Contains("needs its node"));
        });
    }

    [Test]
    public async Task SetAsync_EightWritersAtOnce_EveryEntryReadsBack()
    {
        var cache = await OpenAsync();
        using var start = new Barrier(8);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            start.SignalAndWait(Wait);
            for (var i = 0; i < 25; i++)
            {
                await cache.SetAsync($"w{writer}", $"{i}", new NodeCacheEntry(new[] { (byte)writer, (byte)i }, null));
            }
        }))).WaitAsync(Wait);

        for (var writer = 0; writer < 8; writer++)
        {
            for (var i = 0; i < 25; i++)
            {
                Assert.That((await cache.GetAsync($"w{writer}", $"{i}"))!.Value.ToArray(), Is.EqualTo(new[] { (byte)writer, (byte)i }));
            }
        }
    }

    [Test]
    public async Task InvokeAsync_AnotherGraphOnTheCacheOpenedAgain_IsACacheHitCheckpointedAsIfTheNodeRan()
    {
        var calls = 0;
        var options = new GraphCompileOptions { Checkpointer = Track(await OpenCheckpointerAsync()), NodeCache = await OpenAsync() };
        await using (var first = NodeCacheTests.Doubler(() => calls++, new CachePolicy()).Compile(options))
        {
            Assert.That(await first.InvokeAsync(21, new RunOptions { ThreadId = "a" }).Bounded(), Is.EqualTo(42));
        }

        var again = new GraphCompileOptions { Checkpointer = Track(await OpenCheckpointerAsync()), NodeCache = await OpenAsync() };
        await using var second = NodeCacheTests.Doubler(() => calls++, new CachePolicy()).Compile(again);
        var events = await CollectAsync(second.StreamAsync(21, new RunOptions { ThreadId = "b" }));
        var snapshot = await second.GetStateAsync("b");

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(1), "the second graph found the first one's result");
            Assert.That(events.OfType<TaskFinishedEvent<int>>().Single().Cached, Is.True);
            Assert.That(snapshot!.Values, Is.EqualTo(42), "the cached update was checkpointed as if the node ran");
        });
    }

    /// <summary>Opens the cache and disposes it after the test.</summary>
    private async Task<INodeCache> OpenAsync()
    {
        return Track(await OpenCacheAsync());
    }

    /// <summary>Keeps <paramref name="item"/> for disposal after the test (once, however often it was opened).</summary>
    private T Track<T>(T item)
        where T : notnull
    {
        if (!opened.Contains(item))
        {
            opened.Add(item);
        }

        return item;
    }
}
