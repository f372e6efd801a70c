using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

public class ReferenceEvaluatorTests
{
    [Test]
    public async Task EvaluateAsync_FanOutAndJoin_MatchesTheHandComputedTrace()
    {
        var graph = Trace()
            .AddNode("src", _ => Log("src")).AddNode("a", _ => Log("a")).AddNode("b1", _ => Log("b1")).AddNode("b2", _ => Log("b2")).AddNode("t", s => Log($"t{s.Count}"))
            .AddEdge(StateGraph.Start, "src").AddEdge("src", "a").AddEdge("src", "b1").AddEdge("b1", "b2")
            .AddJoin(["a", "b2"], "t").AddEdge("t", StateGraph.End);
        await using var compiled = graph.Compile();

        var expected = await ReferenceEvaluator.EvaluateAsync(compiled.Model, [], 25, JoinSkippedPolicy.Fail).Bounded();

        Assert.That(expected, Is.EqualTo(new[] { "src", "a", "b1", "b2", "t4" }));
    }

    [Test]
    public async Task InvokeAsync_RandomGraphs_MatchTheReferenceEvaluator()
    {
        var random = new Random(12345);
        var joins = 0;
        var routers = 0;
        for (var g = 0; g < 150; g++)
        {
            var graph = RandomGraph(random, out var description);
            joins += description.Contains("join", StringComparison.Ordinal) ? 1 : 0;
            routers += description.Contains("-?->", StringComparison.Ordinal) ? 1 : 0;
            await using var compiled = graph.Compile(new GraphCompileOptions { JoinSkipped = JoinSkippedPolicy.Warn, StepLimit = 100 });
            var expected = await ReferenceEvaluator.EvaluateAsync(compiled.Model, ["in"], 100, JoinSkippedPolicy.Warn).Bounded();

            var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => compiled.InvokeAsync(["in"]))).Bounded();

            foreach (var actual in runs)
            {
                Assert.That(actual, Is.EqualTo(expected), description);
            }
        }

        Assert.That(joins, Is.GreaterThan(20), "graphs with joins");
        Assert.That(routers, Is.GreaterThan(20), "graphs with routers");
    }

    private static StateGraph<IReadOnlyList<string>, IReadOnlyList<string>> RandomGraph(Random random, out string description)
    {
        var count = random.Next(3, 9);
        var names = Enumerable.Range(0, count).Select(i => $"n{(char)('a' + random.Next(26))}{i}").ToArray();
        var graph = Trace();
        var lines = new List<string>();
        var outgoing = new bool[count];
        var incoming = new bool[count];
        var unbounded = new NodeOptions { MaxParallelism = NodeOptions.Unbounded };
        foreach (var name in names)
        {
            graph.AddNode(name, async (s, ctx) =>
            {
                if (Random.Shared.Next(3) == 0)
                {
                    await Task.Yield();
                }

                return Log($"{name}@{s.Count}");
            }, random.Next(2) == 0 ? unbounded : null);
        }

        graph.AddWorker<int>("w", async (x, ctx) =>
        {
            if (Random.Shared.Next(2) == 0)
            {
                await Task.Yield();
            }

            return Log($"w{x}");
        }, unbounded).AddEdge("w", StateGraph.End).AddConditionalEdges(StateGraph.Start, _ => Send.To("w", 100), "w");

        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                if (random.Next(4) == 0)
                {
                    graph.AddEdge(names[i], names[j]);
                    lines.Add($"{names[i]}->{names[j]}");
                    outgoing[i] = incoming[j] = true;
                }
            }

            if (i + 2 < count && random.Next(3) == 0)
            {
                var options = Enumerable.Range(i + 1, count - i - 1).Select(k => names[k]).ToArray();
                var pick = options[random.Next(options.Length)];
                var other = options[random.Next(options.Length)];
                var source = names[i];
                graph.AddConditionalEdges(source, s => (s.Count % 3) switch
                {
                    0 => Route.To(pick),
                    1 => Route.To(pick, other).And(Route.Sends(Send.To("w", s.Count), Send.To("w", -s.Count))),
                    _ => Route.End,
                }, [.. options, "w", StateGraph.End]);
                lines.Add($"{source}-?->[{pick},{other},sends,END]");
                outgoing[i] = true;
                incoming[Array.IndexOf(names, pick)] = incoming[Array.IndexOf(names, other)] = true;
            }

            if (i + 2 < count && random.Next(4) == 0)
            {
                var target = random.Next(i + 2, count);
                var second = random.Next(i + 1, target);
                graph.AddJoin([names[i], names[second]], names[target]);
                lines.Add($"join[{names[i]},{names[second]}]->{names[target]}");
                outgoing[i] = outgoing[second] = incoming[target] = true;
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (!incoming[i] || random.Next(5) == 0)
            {
                graph.AddEdge(StateGraph.Start, names[i]);
                lines.Add($"START->{names[i]}");
            }

            if (!outgoing[i] || random.Next(4) == 0)
            {
                graph.AddEdge(names[i], StateGraph.End);
                lines.Add($"{names[i]}->END");
            }
        }

        description = string.Join("; ", lines);
        return graph;
    }
}
