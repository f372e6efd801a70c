using Graph.Engine.FSharp;
using Graph.Engine.Graphs;
using FsGraph = Graph.Engine.FSharp.Graph;

namespace Graph.Engine.Tests.Interop;

/// <summary>C# consuming a graph defined with the F# DSL (<see cref="Samples.doubling"/>).</summary>
public class FSharpGraphInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task InvokeAsync_GraphDefinedInFSharp_RunsLikeTheCSharpExample()
    {
        await using var compiled = Samples.doubling.ToStateGraph().Compile();

        Assert.That(await compiled.InvokeAsync(0).WaitAsync(Wait), Is.EqualTo(12));
        Assert.That(compiled.NodeNames, Is.EqualTo(new[] { "plan", "double", "done" }));
    }

    [Test]
    public async Task StreamAsync_GraphDefinedInFSharp_YieldsTheEngineEvents()
    {
        await using var compiled = FsGraph.compile(Samples.doubling);
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
        var builder = Samples.doubling.ToStateGraph();

        Assert.That(builder.ToMermaid(), Is.EqualTo(Samples.doubling.ToMermaid()));
    }
}
