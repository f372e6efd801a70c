using System.Threading.Channels;
using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Monitors: Watch tells a Terminated message with the reason, independently of supervision.</summary>
public class ActorWatchTests
{
    [Test]
    public async Task Watch_ActorStopsNormally_WatcherIsToldStoppedWithoutReason()
    {
        await using var system = new ActorSystem("s");
        var (watcher, told) = SpawnWatcher(system);
        var target = system.Spawn<int>("t", (_, _) => ValueTask.CompletedTask);

        using var watch = target.Watch(watcher, t => t);
        await target.StopAsync().Bounded();
        var terminated = await told.ReadAsync().AsTask().Bounded();

        Assert.That(terminated, Is.EqualTo(new Terminated(target, ActorState.Stopped, null)));
    }

    [Test]
    public async Task Watch_UnsupervisedActorFails_WatcherIsToldFaultedWithTheException()
    {
        await using var system = new ActorSystem("s");
        var (watcher, told) = SpawnWatcher(system);
        var boom = new InvalidOperationException("boom");
        var target = system.Spawn<int>("t", (_, _) => throw boom);

        using var watch = target.Watch(watcher, t => t);
        target.Tell(1);
        var terminated = await told.ReadAsync().AsTask().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(terminated.FinalState, Is.EqualTo(ActorState.Faulted));
            Assert.That(terminated.Reason, Is.SameAs(boom));
        });
    }

    [Test]
    public async Task Watch_SupervisedChildRestartedInPlace_IsNotTerminated_ThenItsStopIs()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var (watcher, told) = SpawnWatcher(system);
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal, RestartType.Transient)], new SupervisorOptions { MaxRestarts = 3 }).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        using var watch = a.Watch(watcher, t => t);
        a.Tell(Cmd.Fail());
        await a.PingAsync();
        var toldDuringRestart = told.TryRead(out _);
        await supervisor.TerminateChildAsync("a").Bounded();
        var terminated = await told.ReadAsync().AsTask().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(toldDuringRestart, Is.False, "a restart in place is not a termination");
            Assert.That(terminated, Is.EqualTo(new Terminated(a, ActorState.Stopped, null)));
        });
    }

    [Test]
    public async Task Watch_AlreadyStopped_IsToldAtOnce_AndADisposedWatchTellsNothing()
    {
        await using var system = new ActorSystem("s");
        var (watcher, told) = SpawnWatcher(system);
        var target = system.Spawn<int>("t", (_, _) => ValueTask.CompletedTask);
        var other = system.Spawn<int>("o", (_, _) => ValueTask.CompletedTask);

        target.Watch(watcher, t => t).Dispose();
        using var second = target.Watch(watcher, t => t with { FinalState = ActorState.Running });
        await target.StopAsync().Bounded();
        var first = await told.ReadAsync().AsTask().Bounded();
        await other.StopAsync().Bounded();
        using var late = other.Watch(watcher, t => t);
        var atOnce = await told.ReadAsync().AsTask().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(first.FinalState, Is.EqualTo(ActorState.Running), "only the live watch told (marked by its mapping)");
            Assert.That(atOnce.Actor, Is.SameAs(other));
        });
    }

    [Test]
    public void Watch_NullArguments_AreRejectedByName()
    {
        var system = new ActorSystem("s");
        var (watcher, _) = SpawnWatcher(system);
        var target = system.Spawn<int>("t", (_, _) => ValueTask.CompletedTask);

        Assert.Multiple(() =>
        {
            Assert.That(() => target.Watch(watcher, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("toMessage"));
            Assert.That(() => target.Watch<Terminated>(null!, t => t), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("watcher"));
        });
        _ = system.DisposeAsync();
    }

    private static (ActorRef<Terminated> Watcher, ChannelReader<Terminated> Told) SpawnWatcher(ActorSystem system)
    {
        var told = Channel.CreateUnbounded<Terminated>();
        var watcher = system.Spawn<Terminated>("watcher", (t, _) =>
        {
            told.Writer.TryWrite(t);
            return ValueTask.CompletedTask;
        });
        return (watcher, told.Reader);
    }
}
