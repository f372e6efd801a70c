using Graph.Engine.Actors;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Actors;

public class ActorStopCancellationTests
{
    [Test]
    public async Task StopAsync_TokenCancelledWhileDraining_EndsTheWaitAndTheStopStillCompletes()
    {
        await using var system = new ActorSystem("stop-cancel");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.Spawn<int>("busy", async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
        });
        actor.Tell(1);
        await entered.Task.Bounded();
        using var cts = new CancellationTokenSource();

        var stop = actor.StopAsync(Timeout.InfiniteTimeSpan, cts.Token);
        await cts.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(() => stop.Bounded());
        Assert.That(actor.Completion.IsCompleted, Is.False, "the handler still runs, so the stop cannot have finished");

        // Nothing but the cancelled stop is stopping the actor: its completion proves the stop went on.
        release.SetResult();
        await actor.Completion.Bounded();
        Assert.Multiple(() =>
        {
            Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(system.Find(actor.Path), Is.Null);
        });
        await actor.StopAsync().Bounded();
    }

    [Test]
    public async Task StopAsync_TokenAlreadyCancelled_ReturnsCancelledAndStillStopsTheActor()
    {
        await using var system = new ActorSystem("stop-precancelled");
        var actor = system.Spawn<int>("idle", (_, _) => ValueTask.CompletedTask);

        var stop = actor.StopAsync(cancellationToken: new CancellationToken(canceled: true));

        await Assert.CatchAsync<OperationCanceledException>(() => stop.Bounded());
        await actor.Completion.Bounded();
        Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
    }

    [Test]
    public async Task StopAsync_TokenNotCancelled_CompletesWhenTheActorStopped()
    {
        await using var system = new ActorSystem("stop-token");
        var actor = system.Spawn<int>("idle", (_, _) => ValueTask.CompletedTask);
        using var cts = new CancellationTokenSource();

        await actor.StopAsync(TimeSpan.Zero, cts.Token).Bounded();

        Assert.That(actor.State, Is.EqualTo(ActorState.Stopped));
    }
}
