using System.Diagnostics;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Graph.Engine.Tests.Hosting;

[NonParallelizable]
public class GraphEngineInstrumentationTests
{
    [Test]
    public async Task AddGraphEngineInstrumentation_GraphRun_ExportsTheEngineSpansAndMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddGraphEngineInstrumentation().AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddGraphEngineInstrumentation().AddInMemoryExporter(metrics).Build();
        await using (var system = new ActorSystem("otel"))
        {
            // "a" runs one task at a time, as an actor turn (the actor metrics); "b" is a concurrent delegate node.
            var graph = new StateGraph<int, int>(Reducers.Replace<int>())
                .AddNode("a", s => s + 1, new NodeOptions { MaxParallelism = 1 }).AddNode("b", s => s * 2)
                .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
            await using var compiled = graph.Compile(new GraphCompileOptions { ActorSystem = system });
            Assert.That(await compiled.InvokeAsync(1, new RunOptions { RunId = "otel-run" }).Bounded(), Is.EqualTo(4));
            Assert.That(metering.ForceFlush(), Is.True);
        }

        Assert.That(tracing.ForceFlush(), Is.True);
        Activity run;
        lock (spans)
        {
            run = spans.Single(a => a.OperationName == GraphDiagnostics.RunActivity && (string?)a.GetTagItem(GraphDiagnostics.RunIdTag) == "otel-run");
            Assert.That(
                spans.Where(a => a.OperationName == GraphDiagnostics.TaskActivity && a.ParentSpanId == run.SpanId).Select(a => a.GetTagItem(GraphDiagnostics.NodeTag)),
                Is.EquivalentTo(new[] { "a", "b" }));
        }

        Assert.That(run.Source.Name, Is.EqualTo(EngineDiagnostics.SourceName));
        Assert.That(metrics.Select(m => m.Name), Is.SupersetOf(new[]
        {
            GraphDiagnostics.StepsInstrument, GraphDiagnostics.TasksInstrument, GraphDiagnostics.TaskDurationInstrument,
            EngineDiagnostics.MessagesProcessed, EngineDiagnostics.HandlerDuration,
        }));
        Assert.That(metrics.Where(m => m.Name == GraphDiagnostics.StepsInstrument).Select(m => m.MeterName), Is.All.EqualTo(EngineDiagnostics.SourceName));
    }

    [Test]
    public void AddGraphEngineInstrumentation_NullBuilder_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ((TracerProviderBuilder)null!).AddGraphEngineInstrumentation(), Throws.ArgumentNullException);
            Assert.That(() => ((MeterProviderBuilder)null!).AddGraphEngineInstrumentation(), Throws.ArgumentNullException);
        });
    }
}
