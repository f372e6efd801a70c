using Graph.Engine.Actors;
using Graph.Engine.Graphs;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Tests.Diagnostics;

public class EngineLoggingTests
{
    [Test]
    public async Task LoggerFactory_EachLayer_LogsUnderItsOwnCategoryWithItsEventIds()
    {
        using var capture = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        await using (var system = new ActorSystem("logs", new ActorSystemOptions { LoggerFactory = factory }))
        {
            var supervisor = await Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<int>("w", (_, _) => ValueTask.CompletedTask)]).Bounded();
            await supervisor.StopAsync().Bounded();
            var graph = new StateGraph<int, int>(Reducers.Replace<int>())
                .AddNode("flaky", int (_, ctx) => ctx.Attempt == 1 ? throw new IOException("once") : 1, new NodeOptions { Retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.Zero } })
                .AddEdge(StateGraph.Start, "flaky").AddEdge("flaky", StateGraph.End);
            await using var compiled = graph.Compile(new GraphCompileOptions { ActorSystem = system });
            await compiled.InvokeAsync(0).Bounded();
        }

        var entries = capture.Entries;
        Assert.Multiple(() =>
        {
            Assert.That(entries.Where(e => e.Category == "Graph.Engine.Actors").Select(e => e.EventId.Id), Does.Contain(1000).And.Contain(1001));
            Assert.That(entries.Where(e => e.Category == "Graph.Engine.Supervision").Select(e => e.EventId.Id), Does.Contain(2000));
            Assert.That(entries.Where(e => e.Category == "Graph.Engine.Graphs").Select(e => e.EventId.Name), Is.EqualTo(new[] { "GraphNodeRetry" }));
            Assert.That(entries.Select(e => e.Category), Is.All.StartsWith("Graph.Engine."));
        });
    }
}
