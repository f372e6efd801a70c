using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorCancellationTests
{
    [Test]
    public async Task StopAsync_TokenCancelledWhileAChildDrains_EndsTheWaitAndTheSupervisorStillStops()
    {
        await using var system = new ActorSystem("s");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervisor = await Supervisor.StartAsync(system, "sup",
        [
            ChildSpec.Worker<int>("busy", async (_, _) => { entered.TrySetResult(); await release.Task; }, shutdown: ChildShutdown.Infinity),
        ]).Bounded();
        var child = supervisor.GetChild<int>("busy");
        child.Tell(1);
        await entered.Task.Bounded();
        using var cts = new CancellationTokenSource();

        var stop = supervisor.StopAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(() => stop.Bounded());
        Assert.That(supervisor.Completion.IsCompleted, Is.False, "the child's handler still runs, so the supervisor cannot have stopped");

        release.SetResult();
        await supervisor.Completion.Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(child.State, Is.EqualTo(ActorState.Stopped));
        });
    }

    [Test]
    public async Task StartAsync_TokenCancelledWhileAChildStarts_ThrowsAndEverythingStartedStops()
    {
        await using var system = new ActorSystem("s");
        var factoryEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var factoryGate = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        IActor<int> SlowFactory()
        {
            factoryEntered.TrySetResult();
            _ = factoryGate.Wait(Wait.Timeout);
            return new Idle();
        }

        var start = Supervisor.StartAsync(system, "sup",
        [
            ChildSpec.Worker<int>("first", (_, _) => ValueTask.CompletedTask),
            ChildSpec.Worker<int>("slow", SlowFactory),
        ], cancellationToken: cts.Token);
        await factoryEntered.Task.Bounded();
        var supervisorActor = system.Find("/s/sup")!;
        var first = system.Find("/s/sup/first")!;

        await cts.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(() => start.Bounded());
        factoryGate.Set();
        await supervisorActor.Completion.Bounded();
        await first.Completion.Bounded();
        Assert.That(system.GetHealth().Actors, Is.Empty, "no child of the abandoned start is left running");
    }

    [Test]
    public async Task StartAsync_TokenAlreadyCancelled_SpawnsNothing()
    {
        await using var system = new ActorSystem("s");

        var start = Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<int>("a", (_, _) => ValueTask.CompletedTask)], cancellationToken: new CancellationToken(canceled: true));

        await Assert.CatchAsync<OperationCanceledException>(() => start.Bounded());
        Assert.That(system.Find("/s/sup"), Is.Null);
    }

    [Test]
    public async Task StartAsync_TokenNotCancelled_StartsEveryChild()
    {
        await using var system = new ActorSystem("s");
        using var cts = new CancellationTokenSource();

        var supervisor = await Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<int>("a", (_, _) => ValueTask.CompletedTask)], cancellationToken: cts.Token).Bounded();

        Assert.That(supervisor.GetChild<int>("a").State, Is.EqualTo(ActorState.Running));
        await supervisor.StopAsync(cts.Token).Bounded();
        Assert.That(supervisor.State, Is.EqualTo(ActorState.Stopped));
    }

    private sealed class Idle : IActor<int>
    {
        public ValueTask ReceiveAsync(int message, ActorContext context) => ValueTask.CompletedTask;
    }
}
