using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Graphs;

[NonParallelizable]
public class GraphDiagnosticsTests
{
    [Test]
    public async Task InvokeAsync_WithListeners_RecordsRunAndTaskActivitiesAndMetrics()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EngineDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new ConcurrentQueue<(string Name, double Value, string? RunId)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == EngineDiagnostics.SourceName)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, null)));
        meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, null)));
        meterListener.Start();

        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1).AddNode("b", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", "b").AddEdge("b", StateGraph.End);
        await using var compiled = graph.Compile();
        await compiled.InvokeAsync(0, new RunOptions { RunId = "diag-run" }).Bounded();

        var run = activities.Single(a => a.OperationName == GraphDiagnostics.RunActivity && (string?)a.GetTagItem(GraphDiagnostics.RunIdTag) == "diag-run");
        var tasks = activities.Where(a => a.OperationName == GraphDiagnostics.TaskActivity && a.ParentSpanId == run.SpanId).ToList();
        Assert.That(tasks.Select(t => t.GetTagItem(GraphDiagnostics.NodeTag)), Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(measurements.Select(m => m.Name).Distinct(), Is.SupersetOf(new[]
        {
            GraphDiagnostics.StepsInstrument, GraphDiagnostics.TasksInstrument, GraphDiagnostics.TaskDurationInstrument, GraphDiagnostics.RunsInFlightInstrument,
        }));
    }
}
