using System.Collections.Concurrent;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs;

/// <summary>Run ids the engine generates when <see cref="RunOptions.RunId"/> is not given.</summary>
public sealed class RunIdTests
{
    [Test]
    public async Task InvokeAsync_NoRunIdGiven_EachRunGetsADistinct32DigitHexId()
    {
        var seen = new ConcurrentBag<string>();
        await using var compiled = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", (s, ctx) => { seen.Add(ctx.RunId); return ValueTask.FromResult(NodeResult<int>.FromUpdate(s + 1)); })
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", StateGraph.End)
            .Compile();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await compiled.InvokeAsync(0).Bounded();
            }
        }))).Bounded();

        Assert.That(seen, Has.Count.EqualTo(1000));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(1000), "no id given twice, also to runs started at once");
        Assert.That(seen, Has.All.Matches(@"^[0-9a-f]{32}$"));
    }

    [Test]
    public async Task InvokeAsync_RunIdGiven_NodesSeeThatId()
    {
        string? seen = null;
        await using var compiled = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", (s, ctx) => { seen = ctx.RunId; return ValueTask.FromResult(NodeResult<int>.FromUpdate(s)); })
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", StateGraph.End)
            .Compile();

        await compiled.InvokeAsync(0, new RunOptions { RunId = "mine" }).Bounded();

        Assert.That(seen, Is.EqualTo("mine"));
    }
}
