using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>A brutal kill cannot abort a handler that ignores its token: the supervisor waits KillTimeout, abandons the child and goes on.</summary>
public class SupervisorKillTimeoutTests
{
    private static readonly TimeSpan Kill = TimeSpan.FromSeconds(3);

    [Test]
    public async Task TerminateChild_BrutalKillOfAHandlerIgnoringItsToken_AbandonsAfterKillTimeoutAndFreesThePath()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var events = new EventRecorder(system);
        var hung = new Hung();
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [ChildSpec.Worker<string>("w", hung.Create, shutdown: ChildShutdown.Brutal)],
            new SupervisorOptions { KillTimeout = Kill }).Bounded();
        var old = supervisor.GetChild<string>("w");
        old.Tell("hang");
        await Wait.For(hung.Started, "the handler runs");

        var terminate = supervisor.TerminateChildAsync("w");
        await time.WhenArmed(Kill);
        time.Advance(Kill - TimeSpan.FromMilliseconds(1));
        var waitedBeforeTheBound = !terminate.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await terminate.Bounded();
        var pathFree = system.Find(old.Path) is null;
        var restarted = await supervisor.RestartChildAsync("w").Bounded();
        hung.Release();

        Assert.Multiple(() =>
        {
            Assert.That(waitedBeforeTheBound, Is.True, "waited until the kill timeout");
            Assert.That(events.Of<ChildAbandoned>().Select(e => (e.ChildId, e.KillTimeout)), Is.EqualTo(new[] { ("w", Kill) }));
            Assert.That(pathFree, Is.True, "the abandoned actor left its path at once");
            Assert.That(restarted, Is.Not.SameAs(old), "a new actor took the name");
            Assert.That(async () => await old.Completion.Bounded(), Throws.Nothing, "the old actor ends its shutdown once its handler returns");
        });
    }

    [Test]
    public async Task GroupRestart_MemberIgnoringItsToken_IsAbandonedAndRespawnedAndTheSupervisorGoesOn()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var hung = new Hung();
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Probe.Spec("a", journal), ChildSpec.Worker<string>("w", hung.Create, shutdown: ChildShutdown.Brutal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll, KillTimeout = Kill }).Bounded();
        var old = supervisor.GetChild<string>("w");
        old.Tell("hang");
        await Wait.For(hung.Started, "the handler runs");

        supervisor.GetChild<Cmd>("a").Tell(Cmd.Fail());
        await time.WhenArmed(Kill);
        time.Advance(Kill);
        await events.WaitForAsync<ChildRestarted>(2);
        var fresh = supervisor.GetChild<string>("w");
        await supervisor.GetChild<Cmd>("a").PingAsync();
        hung.Release();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await old.Completion.Bounded(), Throws.TypeOf<ChildAbandonedException>(), "the abandoned instance stops as faulted once its handler returns");
            Assert.That(events.Of<ChildAbandoned>().Select(e => e.ChildId), Is.EqualTo(new[] { "w" }));
            Assert.That(fresh, Is.Not.SameAs(old), "w was re-spawned at its path");
            Assert.That(fresh.State, Is.EqualTo(ActorState.Running));
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
        });
    }

    [Test]
    public void Options_NegativeKillTimeout_IsRejectedByName() =>
        Assert.That(
            () => ChildSpec.Supervisor("s", new SupervisorOptions { KillTimeout = TimeSpan.FromSeconds(-1) }, []),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("KillTimeout"));

    /// <summary>Actors whose "hang" handler ignores its cancellation until released.</summary>
    private sealed class Hung
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _release.TrySetResult();

        public IActor<string> Create() => new HangActor(this);

        private sealed class HangActor(Hung owner) : IActor<string>
        {
            public async ValueTask ReceiveAsync(string message, ActorContext context)
            {
                if (message == "hang")
                {
                    owner._started.TrySetResult();
                    await owner._release.Task.WaitAsync(Wait.Timeout);
                }
            }
        }
    }
}
