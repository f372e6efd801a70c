using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using Graph.Engine.Supervision;
using static Graph.Engine.Tests.Graphs.TestGraphs;

namespace Graph.Engine.Tests.Diagnostics;

[NonParallelizable]
public class EngineDiagnosticsTests
{
    [Test]
    public async Task Meter_ActorAndGraphLayers_ShareOneMeterObject()
    {
        var instruments = new ConcurrentDictionary<string, Meter>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == EngineDiagnostics.SourceName)
                {
                    instruments[instrument.Name] = instrument.Meter;
                }
            },
        };
        listener.Start();

        await RunOneGraphAndOneSupervisorAsync();

        Assert.That(instruments.Keys, Is.SupersetOf(new[]
        {
            EngineDiagnostics.MessagesProcessed, EngineDiagnostics.MailboxDepth, EngineDiagnostics.Restarts,
            GraphDiagnostics.StepsInstrument, GraphDiagnostics.TasksInstrument, GraphDiagnostics.RunsInFlightInstrument,
        }));
        Assert.That(instruments.Values.Distinct().Count(), Is.EqualTo(1), "every instrument named Graph.Engine must live on the same Meter");
    }

    [Test]
    public async Task ActivitySource_GraphRun_ComesFromTheOneEngineSource()
    {
        var sources = new ConcurrentBag<ActivitySource>();
        var operations = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s =>
            {
                if (s.Name == EngineDiagnostics.SourceName)
                {
                    sources.Add(s);
                    return true;
                }

                return false;
            },
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => operations.Enqueue(a.OperationName),
        };
        ActivitySource.AddActivityListener(listener);

        await RunOneGraphAndOneSupervisorAsync();

        Assert.That(operations, Does.Contain(GraphDiagnostics.RunActivity).And.Contain(GraphDiagnostics.TaskActivity));
        Assert.That(sources.Distinct().Count(), Is.EqualTo(1), "exactly one ActivitySource is named Graph.Engine");
    }

    private static async Task RunOneGraphAndOneSupervisorAsync()
    {
        await using var system = new ActorSystem("one-meter");
        var supervisor = await Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<int>("w", (_, _) => ValueTask.CompletedTask)]).Bounded();
        await supervisor.GetChild<int>("w").SendAsync(1).AsTask().Bounded();
        await supervisor.StopAsync().Bounded();

        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("a", s => s + 1)
            .AddEdge(StateGraph.Start, "a").AddEdge("a", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { ActorSystem = system });
        Assert.That(await compiled.InvokeAsync(0).Bounded(), Is.EqualTo(1));
    }
}
