using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorShutdownTests
{
    [Test]
    public async Task StopAsync_Supervisor_StopsChildrenInReverseStartOrder()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal), Probe.Spec("c", journal)]).Bounded();

        await supervisor.StopAsync().Bounded();

        Assert.That(journal.Entries.Skip(3), Is.EqualTo(new[] { "stop:c", "stop:b", "stop:a" }));
        Assert.That(supervisor.State, Is.EqualTo(ActorState.Stopped));
    }

    [Test]
    public async Task StopAsync_AfterRespawn_StillStopsInSpecOrderNotSpawnOrder()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal), Probe.Spec("c", journal)]).Bounded();
        supervisor.GetChild<Cmd>("a").Tell(Cmd.StopSelf);
        await journal.WaitUntil(j => j.CountOf("start:a") == 2, "a re-spawned");
        var mark = journal.Count;

        await supervisor.StopAsync().Bounded();

        Assert.That(journal.Since(mark), Is.EqualTo(new[] { "stop:c", "stop:b", "stop:a" }));
    }

    [Test]
    public async Task StopAsync_BrutalChild_IsCancelledAtOnce()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var dead = new DeadLetterRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal, shutdown: ChildShutdown.Brutal)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");
        a.Tell(Cmd.BlockCancellable(1));
        a.Tell(Cmd.Work(2));

        await supervisor.StopAsync().Bounded();

        Assert.That(dead.Messages<Cmd>(DeadLetterReason.ActorStopped).Select(m => m.Value), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(journal.Entries, Does.Not.Contain("got:a:2"));
    }

    [Test]
    public async Task StopAsync_TimeoutChild_DrainsThenIsCancelledAtTheDeadline()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("slow", journal, shutdown: ChildShutdown.After(TimeSpan.FromSeconds(10)))]).Bounded();
        var slow = supervisor.GetChild<Cmd>("slow");
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.Tell(Cmd.BlockCancellable(1, blocked));
        await blocked.Task.Bounded();

        var stopping = supervisor.StopAsync();
        await time.WhenArmed(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(stopping.IsCompleted, Is.False, "still within the shutdown timeout");
        time.Advance(TimeSpan.FromSeconds(1));
        await stopping.Bounded();

        Assert.That(slow.State, Is.EqualTo(ActorState.Stopped));
    }

    [Test]
    public async Task StopAsync_InfinityChild_WaitsForTheHandler()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal, shutdown: ChildShutdown.Infinity)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");
        a.Tell(Cmd.Block(gate, 1));
        a.Tell(Cmd.Work(2));

        var aStopping = a.StoppingToken.WhenCancelled();
        var stopping = supervisor.StopAsync();
        await Wait.For(aStopping, "a is stopping");
        Assert.That(a.State, Is.EqualTo(ActorState.Stopping));
        Assert.That(stopping.IsCompleted, Is.False);
        gate.SetResult();
        await stopping.Bounded();

        Assert.That(journal.Entries, Is.EqualTo(new[] { "start:a", "got:a:1", "got:a:2", "stop:a" }), "drained everything, then stopped");
    }

    [Test]
    public async Task OneForAll_SiblingWithTimeoutShutdown_IsCancelledAtTheDeadlineThenRestarted()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system, "sup",
            [Probe.Spec("slow", journal, shutdown: ChildShutdown.After(TimeSpan.FromSeconds(3))), Probe.Spec("b", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll }).Bounded();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        supervisor.GetChild<Cmd>("slow").Tell(Cmd.BlockCancellable(1, blocked));
        supervisor.GetChild<Cmd>("slow").Tell(Cmd.Work(2));
        await blocked.Task.Bounded();

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail());
        await time.WhenArmed(TimeSpan.FromSeconds(3));
        Assert.That(journal.CountOf("start:b"), Is.EqualTo(1));
        time.Advance(TimeSpan.FromSeconds(3));
        await journal.WaitUntil(j => j.CountOf("start:b") == 2, "the group restarted");
        await supervisor.GetChild<Cmd>("slow").PingAsync();

        Assert.That(journal.Entries, Does.Contain("got:slow:2"), "the queued message survived the restart");
    }

    [Test]
    public async Task GroupRestart_BusyBrutalSiblingCancelled_IsAStopNotAFailure()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var dead = new DeadLetterRecorder(system);
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("slow", journal, shutdown: ChildShutdown.Brutal), Probe.Spec("b", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll }).Bounded();
        var slow = supervisor.GetChild<Cmd>("slow");
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.Tell(Cmd.BlockCancellable(1, blocked));
        await blocked.Task.Bounded();

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail(7));
        await journal.WaitUntil(j => j.CountOf("start:b") == 2, "the group restarted");
        await slow.PingAsync();

        Assert.Multiple(() =>
        {
            Assert.That(events.Of<ActorFailed>().Select(e => e.Path), Is.EqualTo(new[] { supervisor.Path + "/b" }), "only b failed; the cancelled sibling did not");
            Assert.That(dead.Messages<Cmd>(DeadLetterReason.HandlerFaulted).Select(m => m.Value), Is.EqualTo(new[] { 7 }), "only b's message faulted");
            Assert.That(dead.Messages<Cmd>(DeadLetterReason.ActorStopped).Select(m => m.Value), Is.EqualTo(new[] { 1 }), "slow's message ended with a stop reason");
            Assert.That(journal.CountOf("start:slow"), Is.EqualTo(2), "slow was restarted with the group");
        });
    }
}
