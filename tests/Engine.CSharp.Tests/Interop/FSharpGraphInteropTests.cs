using Graph.Engine.FSharp;
using Graph.Engine.Graphs;
using Microsoft.FSharp.Core;
using Microsoft.FSharp.Collections;

namespace Graph.Engine.Tests.Interop;

/// <summary>C# consuming a graph defined with the F# DSL: the <c>stateGraph</c> builder's operations called as methods.</summary>
public class FSharpGraphInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The map-reduce example of docs/graphs.md as an F# definition: invoked with 0 it returns 12.</summary>
    private static GraphDefinition<int, int> Doubling()
    {
        var b = StateGraphBuilderInstance.stateGraph;
        var d = b.Yield<int, int>(null!);
        d = b.Reducer(d, FuncConvert.FromFunc<int, int, int>((s, u) => s + u));
        d = b.Node(d, "plan", Node.func(FuncConvert.FromFunc<int, int>(_ => 0)));
        d = b.Node(d, "double", Node.worker<int, int, int>(FuncConvert.FromFunc<int, int>(x => x * 2)));
        d = b.Node(d, "done", Node.funcCtx(FuncConvert.FromFunc<Graph.Engine.Graphs.NodeContext, int, int>((ctx, s) =>
        {
            ctx.Emit($"total {s}");
            return 0;
        })));
        d = b.Edge(d, GraphNames.START, "plan");
        d = b.Route(d, "plan", ListModule.OfSeq(["double"]), FuncConvert.FromFunc<int, Next>(_ => NextModule.send("double", new[] { 1, 2, 3 })));
        d = b.Edge(d, "double", "done");
        return b.Edge(d, "done", GraphNames.END);
    }

    [Test]
    public async Task InvokeAsync_GraphDefinedInFSharp_RunsLikeTheCSharpExample()
    {
        await using var compiled = Doubling().ToStateGraph().Compile();

        Assert.That(await compiled.InvokeAsync(0).WaitAsync(Wait), Is.EqualTo(12));
        Assert.That(compiled.NodeNames, Is.EqualTo(new[] { "plan", "double", "done" }));
    }

    [Test]
    public async Task StreamAsync_GraphDefinedInFSharp_YieldsTheEngineEvents()
    {
        await using var compiled = GraphRun.compile(Doubling());
        var custom = new List<object?>();
        await foreach (var e in compiled.StreamAsync(0).WithCancellation(CancellationToken.None))
        {
            if (e is CustomEvent c)
            {
                custom.Add(c.Payload);
            }
        }

        Assert.That(custom, Is.EqualTo(new object[] { "total 12" }));
    }

    [Test]
    public void ToStateGraph_FSharpDefinition_IsAnOrdinaryBuilderCSharpCanExtend()
    {
        var definition = Doubling();
        var builder = definition.ToStateGraph();

        Assert.That(builder.ToMermaid(), Is.EqualTo(definition.ToMermaid()));
    }

    [Test]
    public void Shape_SameDefinitionTwice_IsEqual()
    {
        var first = Doubling().Shape;
        var second = Doubling().Shape;

        Assert.That(first, Is.EqualTo(second));
        Assert.That(first.Nodes.Select(n => n.Item2), Is.EqualTo(new[] { "func", "worker of Int32", "func" }));
    }
}
