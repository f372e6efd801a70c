using Graph.Engine.Actors;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Tests.Hosting;

public class GraphEngineServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddGraphEngine_Resolved_IsOneActorSystemWithTheGivenNameAndOptions()
    {
        var services = new ServiceCollection();
        services.AddGraphEngine("app", new ActorSystemOptions { RecentFailureCount = 7 });
        await using var provider = services.BuildServiceProvider();

        var system = provider.GetRequiredService<ActorSystem>();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<ActorSystem>(), Is.SameAs(system));
            Assert.That(system.Name, Is.EqualTo("app"));
            Assert.That(system.Options.RecentFailureCount, Is.EqualTo(7));
        });
    }

    [Test]
    public async Task AddGraphEngine_ContainerHasALoggerFactory_ActorAndGraphLogsReachIt()
    {
        using var capture = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        services.AddGraphEngine().AddGraph(_ => new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("boom", int (_, _) => throw new InvalidOperationException("boom"))
            .AddEdge(StateGraph.Start, "boom").AddEdge("boom", StateGraph.End));
        await using var provider = services.BuildServiceProvider();
        var graph = provider.GetRequiredService<CompiledGraph<int, int>>();

        await Assert.CatchAsync<NodeFailedException>(() => graph.InvokeAsync(0, new RunOptions { RunId = "logged" }).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<ActorSystem>().Options.LoggerFactory, Is.SameAs(provider.GetRequiredService<ILoggerFactory>()));
            Assert.That(capture.Entries.Where(e => e.Category == "Graph.Engine.Actors").Select(e => e.Message), Has.Some.Contains("started"));
            var failed = capture.Entries.Single(e => e.Category == "Graph.Engine.Graphs" && e.EventId.Name == "GraphRunFailed");
            Assert.That(failed.Message, Does.Contain("logged"));
            Assert.That(failed.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(failed.Exception, Is.InstanceOf<NodeFailedException>());
        });
    }

    [Test]
    public async Task AddGraphEngine_OptionsNameALoggerFactory_KeepsIt()
    {
        using var own = LoggerFactory.Create(_ => { });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGraphEngine(options: new ActorSystemOptions { LoggerFactory = own });
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ActorSystem>().Options.LoggerFactory, Is.SameAs(own));
    }

    [Test]
    public async Task AddGraph_ByType_RunsOnTheContainersActorSystem()
    {
        var services = new ServiceCollection();
        services.AddGraphEngine("app").AddGraph(_ => Increment());
        await using var provider = services.BuildServiceProvider();

        var graph = provider.GetRequiredService<CompiledGraph<int, int>>();

        Assert.That(await graph.InvokeAsync(1).Bounded(), Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(graph.Options.ActorSystem, Is.SameAs(provider.GetRequiredService<ActorSystem>()));
            Assert.That(provider.GetRequiredService<CompiledGraph<int, int>>(), Is.SameAs(graph));
        });
    }

    [Test]
    public async Task AddGraph_ByName_ResolvesEachGraphAsAKeyedService()
    {
        var services = new ServiceCollection();
        services.AddGraphEngine()
            .AddGraph("increment", _ => Increment())
            .AddGraph("double", _ => new StateGraph<int, int>(Reducers.Replace<int>()).AddNode("x2", s => s * 2).AddEdge(StateGraph.Start, "x2").AddEdge("x2", StateGraph.End));
        await using var provider = services.BuildServiceProvider();

        var increment = provider.GetRequiredKeyedService<CompiledGraph<int, int>>("increment");
        var doubling = provider.GetRequiredKeyedService<CompiledGraph<int, int>>("double");

        Assert.That(await increment.InvokeAsync(5).Bounded(), Is.EqualTo(6));
        Assert.That(await doubling.InvokeAsync(5).Bounded(), Is.EqualTo(10));
    }

    [Test]
    public async Task DisposeAsync_Container_DisposesTheGraphsAndStopsTheSystem()
    {
        var services = new ServiceCollection();
        services.AddGraphEngine().AddGraph(_ => Increment());
        var provider = services.BuildServiceProvider();
        var system = provider.GetRequiredService<ActorSystem>();
        var graph = provider.GetRequiredService<CompiledGraph<int, int>>();
        await graph.InvokeAsync(1).Bounded();

        await provider.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(system.Completion.IsCompletedSuccessfully, Is.True);
            Assert.That(system.GetHealth().Actors, Is.Empty);
            Assert.Throws<ObjectDisposedException>(() => graph.InvokeAsync(1));
        });
    }

    [Test]
    public void AddGraphEngine_CalledTwice_ThrowsNamingTheProblem()
    {
        var services = new ServiceCollection();
        services.AddGraphEngine();

        Assert.That(() => services.AddGraphEngine(), Throws.InvalidOperationException.With.Message.Contains("AddGraphEngine once"));
    }

    [Test]
    public void AddGraphEngine_BadNameOrOptions_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Multiple(() =>
        {
            Assert.That(() => services.AddGraphEngine("a/b"), Throws.ArgumentException.With.Message.Contains("'a/b'"));
            Assert.That(() => services.AddGraphEngine(options: new ActorSystemOptions { EnvelopePoolSize = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("EnvelopePoolSize"));
        });
    }

    [Test]
    public void AddGraph_SameTypeTwiceWithoutAName_Throws()
    {
        var builder = new ServiceCollection().AddGraphEngine().AddGraph(_ => Increment());

        Assert.Multiple(() =>
        {
            Assert.That(() => builder.AddGraph(_ => Increment()), Throws.InvalidOperationException.With.Message.Contains("give each graph"));
            Assert.That(() => builder.AddGraph("a", _ => Increment()).AddGraph("a", _ => Increment()), Throws.InvalidOperationException.With.Message.Contains("'a'"));
        });
    }

    [Test]
    public async Task AddGraph_OptionsNameAnotherActorSystem_ThrowsOnResolve()
    {
        await using var other = new ActorSystem("other");
        var services = new ServiceCollection();
        services.AddGraphEngine("app").AddGraph(_ => Increment(), _ => new GraphCompileOptions { ActorSystem = other });
        await using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<CompiledGraph<int, int>>(), Throws.InvalidOperationException.With.Message.Contains("'other'"));
    }

    private static StateGraph<int, int> Increment() =>
        new StateGraph<int, int>(Reducers.Replace<int>()).AddNode("inc", s => s + 1).AddEdge(StateGraph.Start, "inc").AddEdge("inc", StateGraph.End);
}
