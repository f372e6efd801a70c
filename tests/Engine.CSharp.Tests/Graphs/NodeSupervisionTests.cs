using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Graphs;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Graphs;

public class NodeSupervisionTests
{
    [Test]
    public async Task Compile_Default_NodeActorsAreChildrenOfASupervisor()
    {
        await using var system = new ActorSystem("nodesup-tree");
        await using var compiled = Chain(() => new AddOne()).Compile(new GraphCompileOptions { ActorSystem = system });

        var supervisor = ((ActorTaskExecutor<int, int>)compiled.Executor).NodeSupervisor;
        var children = await supervisor.WhichChildrenAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(children.Select(c => c.Id), Is.EqualTo(new[] { "add%20one", "double" }));
            Assert.That(supervisor.Options, Is.SameAs(GraphCompileOptions.DefaultNodeSupervision));
            Assert.That(supervisor.Path, Does.StartWith("/nodesup-tree/graph-"));
        });
    }

    [Test]
    public async Task InvokeAsync_BurstOfBadInputs_FailsTheRunsAndNeverRestartsANodeActor()
    {
        await using var system = new ActorSystem("nodesup-burst");
        var events = new ConcurrentQueue<SupervisorEvent>();
        using var subscription = system.Events.Subscribe(new Observer<ActorEvent>(e =>
        {
            if (e is ChildFailed or ChildRestarted or ChildExited or SupervisorEscalated)
            {
                events.Enqueue((SupervisorEvent)e);
            }
        }));

        // The strictest policy: one restart would already kill the graph.
        var options = new GraphCompileOptions { ActorSystem = system, NodeSupervision = SupervisorOptions.Default with { MaxRestarts = 0 } };
        await using var compiled = Chain(() => new AddOne()).Compile(options);

        var bad = Enumerable.Range(0, 50).Select(_ => Task.Run(() => compiled.InvokeAsync(-1))).ToList();
        foreach (var run in bad)
        {
            Assert.That(async () => await run.Bounded(), Throws.TypeOf<NodeFailedException>().With.Property(nameof(NodeFailedException.Node)).EqualTo("add one"));
        }

        var good = await compiled.InvokeAsync(3).Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(good, Is.EqualTo(8));
            Assert.That(events, Is.Empty, "task failures belong to runs: no actor failed, exited or restarted");
            Assert.That(system.Completion.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task InvokeAsync_FactoryThrows_RunFailsAndTheNodeActorRestartsAfterItsDelay()
    {
        var clock = new FakeClock();
        await using var system = new ActorSystem("nodesup-restart", new ActorSystemOptions { TimeProvider = clock });
        var events = new ConcurrentQueue<SupervisorEvent>();
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = system.Events.Subscribe(new Observer<ActorEvent>(e =>
        {
            if (e is ChildFailed or ChildRestarted)
            {
                events.Enqueue((SupervisorEvent)e);
            }

            if (e is ChildRestarted)
            {
                restarted.TrySetResult();
            }
        }));
        var restarts = new ConcurrentQueue<(string? Supervisor, string? Child)>();
        using var listener = RestartListener(restarts);

        var created = 0;
        var options = new GraphCompileOptions
        {
            ActorSystem = system,
            NodeSupervision = GraphCompileOptions.DefaultNodeSupervision with { RestartDelay = RestartDelay.Fixed(TimeSpan.FromSeconds(1)) },
        };
        await using var compiled = Chain(() => Interlocked.Increment(ref created) == 1 ? throw new InvalidOperationException("no connection") : new AddOne()).Compile(options);
        var supervisor = ((ActorTaskExecutor<int, int>)compiled.Executor).NodeSupervisor;

        var failed = await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync(1).Bounded());
        await clock.WhenArmed(TimeSpan.FromSeconds(1));
        var second = compiled.InvokeAsync(3);
        Assert.That(second.IsCompleted, Is.False, "the node's next task waits for the restart delay");
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await second.Bounded();
        await restarted.Task.Bounded(); // published by the supervisor once its answer is sent: the run may end first

        var failure = events.OfType<ChildFailed>().Single();
        var restart = events.OfType<ChildRestarted>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(failed!.InnerException!.Message, Is.EqualTo("no connection"));
            Assert.That(result, Is.EqualTo(8));
            Assert.That(created, Is.EqualTo(2), "a fresh instance after the restart");
            Assert.That(failure.ChildId, Is.EqualTo("add%20one"));
            Assert.That(failure.Directive, Is.EqualTo(SupervisorDirective.Restart));
            Assert.That(failure.Exception.InnerException!.Message, Is.EqualTo("no connection"));
            Assert.That((restart.ChildId, restart.Attempt, restart.Delay), Is.EqualTo(("add%20one", 1, TimeSpan.FromSeconds(1))));
            Assert.That(restarts, Does.Contain((supervisor.Path, "add%20one")));
        });
    }

    [Test]
    public async Task InvokeAsync_ParallelFactoryNodeFaultsUnderLoad_EveryRunEndsAndTheNodeRecovers()
    {
        await using var system = new ActorSystem("nodesup-parallel");
        var created = 0;
        INode<int, int> Create() => Interlocked.Increment(ref created) == 2 ? throw new InvalidOperationException("no connection") : new AddOne();
        var graph = new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("n", Create, new NodeOptions { MaxParallelism = 4 })
            .AddEdge(StateGraph.Start, "n").AddEdge("n", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { ActorSystem = system, NodeSupervision = SupervisorOptions.Default with { MaxRestarts = 100 } });

        // A bad input drops the first instance, so the burst's first rent calls the factory a second time: the fault.
        await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync(-1).Bounded());
        var runs = Enumerable.Range(1, 40).Select(i => Task.Run(() => compiled.InvokeAsync(i % 4 == 0 ? -i : i))).ToList();
        await Task.WhenAny(Task.WhenAll(runs), Task.Delay(TestGraphs.Wait));
        var after = await compiled.InvokeAsync(1).Bounded();

        var failures = runs.Where(r => r.IsFaulted).Select(r => r.Exception!.InnerException!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(runs.All(r => r.IsCompleted), Is.True, "no run hangs");
            Assert.That(failures.Count(e => e is NodeFailedException { InnerException.Message: "no connection" }), Is.EqualTo(1), string.Join(" / ", failures.Select(e => e.Message)));
            Assert.That(failures.Select(e => e.Message), Has.All.Contain("'n'"));
            Assert.That(runs.Where(r => r.IsCompletedSuccessfully).Select(r => r.Result), Is.SubsetOf(Enumerable.Range(2, 40)));
            Assert.That(after, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task InvokeAsync_IntensityExceeded_SupervisorEscalatesAndLaterRunsFailNamingTheNode()
    {
        await using var system = new ActorSystem("nodesup-exceeded");
        var options = new GraphCompileOptions { ActorSystem = system, NodeSupervision = SupervisorOptions.Default with { MaxRestarts = 0 } };
        await using var compiled = Chain(() => throw new InvalidOperationException("broken factory")).Compile(options);
        var supervisor = ((ActorTaskExecutor<int, int>)compiled.Executor).NodeSupervisor;

        await Assert.ThrowsAsync<NodeFailedException>(async () => await compiled.InvokeAsync(1).Bounded());
        var escalation = await Assert.ThrowsAsync<RestartIntensityExceededException>(async () => await supervisor.Completion.Bounded());
        var later = await Assert.CatchAsync(async () => await compiled.InvokeAsync(1).Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(escalation!.InnerException!.InnerException!.Message, Is.EqualTo("broken factory"));
            Assert.That(system.Completion.IsFaulted, Is.True, "a top-level supervisor that gives up faults the system");
            Assert.That(later!.Message, Does.Contain("add one"));
        });
    }

    [Test]
    public void Compile_NodeSupervisionOneForAll_ThrowsNamingTheOption()
    {
        var options = new GraphCompileOptions { NodeSupervision = SupervisorOptions.Default with { Strategy = SupervisionStrategy.OneForAll } };

        Assert.That(() => Chain(() => new AddOne()).Compile(options), Throws.TypeOf<GraphValidationException>().With.Message.Contains("NodeSupervision.Strategy must be OneForOne"));
    }

    /// <summary>START -> "add one" (a factory node that rejects negative input) -> "double" -> END.</summary>
    private static StateGraph<int, int> Chain(Func<INode<int, int>> factory) =>
        new StateGraph<int, int>(Reducers.Replace<int>())
            .AddNode("add one", factory)
            .AddNode("double", s => s * 2)
            .AddEdge(StateGraph.Start, "add one").AddEdge("add one", "double").AddEdge("double", StateGraph.End);

    private static MeterListener RestartListener(ConcurrentQueue<(string? Supervisor, string? Child)> restarts)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EngineDiagnostics.SourceName && instrument.Name == EngineDiagnostics.Restarts)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? supervisor = null, child = null;
            foreach (var tag in tags)
            {
                supervisor = tag.Key == EngineDiagnostics.SupervisorTag ? tag.Value as string : supervisor;
                child = tag.Key == EngineDiagnostics.ChildTag ? tag.Value as string : child;
            }

            restarts.Enqueue((supervisor, child));
        });
        listener.Start();
        return listener;
    }

    private sealed class AddOne : INode<int, int>
    {
        public ValueTask<NodeResult<int>> InvokeAsync(int state, NodeContext context) =>
            state < 0 ? throw new ArgumentOutOfRangeException(nameof(state), state, "bad input") : new(state + 1);
    }
}
