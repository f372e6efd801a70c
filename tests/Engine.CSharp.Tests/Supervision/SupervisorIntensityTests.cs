using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorIntensityTests
{
    [TestCase(1)]
    [TestCase(3)]
    public async Task Failures_MaxRestartsInsideWindow_RestartEachTimeThenOneMoreEscalates(int maxRestarts)
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)],
            new SupervisorOptions { MaxRestarts = maxRestarts, Period = TimeSpan.FromSeconds(10) }).Bounded();
        var b = supervisor.GetChild<Cmd>("b");

        for (var i = 1; i <= maxRestarts; i++)
        {
            b.Tell(Cmd.Fail(i));
            await journal.WaitUntil(j => j.CountOf("start:b") == i + 1, $"restart {i}");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
        b.Tell(Cmd.Fail(99));
        var failure = await Assert.ThrowsAsync<RestartIntensityExceededException>(() => supervisor.Completion.Bounded());
        await Assert.ThrowsAsync<RestartIntensityExceededException>(() => system.Completion.Bounded());

        Assert.Multiple(() =>
        {
            Assert.That(failure!.ChildId, Is.EqualTo("b"));
            Assert.That(failure.InnerException!.Message, Does.Contain("99"));
            Assert.That(journal.CountOf("start:b"), Is.EqualTo(maxRestarts + 1), "no restart after the limit");
            Assert.That(journal.Entries.TakeLast(2), Is.EqualTo(new[] { "stop:b", "stop:a" }), "children stopped in reverse order");
            Assert.That(events.Of<RestartIntensityReached>(), Has.Count.EqualTo(1));
            Assert.That(events.Of<SupervisorEscalated>().Single().IsRoot, Is.True);
            Assert.That(system.GetHealth().Actors, Is.Empty);
        });
    }

    [Test]
    public async Task Failures_SpreadBeyondTheWindow_NeverEscalate()
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        for (var i = 1; i <= 20; i++)
        {
            a.Tell(Cmd.Fail(i));
            await journal.WaitUntil(j => j.CountOf("start:a") == i + 1, $"restart {i}");
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
        Assert.That(await a.PingAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Escalation_ThroughThreeLevels_StopsTheWholeTreeInReverseOrderAndFaultsTheSystem()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var strict = new SupervisorOptions { MaxRestarts = 0 };
        var level2 = ChildSpec.Supervisor("s2", strict, [Probe.Spec("x2a", journal), Probe.Spec("x2b", journal)]);
        var level1 = ChildSpec.Supervisor("s1", strict, [Probe.Spec("x1", journal), level2]);
        var root = await Supervisor.StartAsync(system, "s0", [Probe.Spec("x0", journal), level1], strict).Bounded();
        var x2b = root.GetSupervisor("s1").GetSupervisor("s2").GetChild<Cmd>("x2b");

        x2b.Tell(Cmd.Fail());

        var failure = await Assert.ThrowsAsync<RestartIntensityExceededException>(() => root.Completion.Bounded());
        await Assert.ThrowsAsync<RestartIntensityExceededException>(() => system.Completion.Bounded());
        var stopped = events.Of<Graph.Engine.Actors.ActorStopped>().Select(e => e.Path[(e.Path.LastIndexOf('/') + 1)..]);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.SupervisorPath, Is.EqualTo("/s/s0"));
            Assert.That(failure.InnerException, Is.TypeOf<RestartIntensityExceededException>(), "s1's failure inside s0's");
            Assert.That(stopped, Is.EqualTo(new[] { "x2b", "x2a", "s2", "x1", "s1", "x0", "s0" }));
            Assert.That(journal.Entries.Where(e => e.StartsWith("stop:", StringComparison.Ordinal)), Is.EqualTo(new[] { "stop:x2b", "stop:x2a", "stop:x1", "stop:x0" }));
            Assert.That(events.Of<SupervisorEscalated>().Select(e => e.Path), Is.EqualTo(new[] { "/s/s0/s1/s2", "/s/s0/s1", "/s/s0" }));
            Assert.That(system.GetHealth().Actors, Is.Empty);
        });
    }

    [Test]
    public async Task ChildSupervisor_IntensityReached_IsRestartedByItsParentWithFreshChildren()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var inner = ChildSpec.Supervisor("inner", new SupervisorOptions { MaxRestarts = 0 }, [Probe.Spec("w1", journal), Probe.Spec("w2", journal)]);
        var root = await Supervisor.StartAsync(system, "top", [inner], new SupervisorOptions { MaxRestarts = 5 }).Bounded();
        var innerSupervisor = root.GetSupervisor("inner");

        innerSupervisor.GetChild<Cmd>("w2").Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.CountOf("start:w2") == 2, "inner restarted its children");
        var restartedW2 = innerSupervisor.GetChild<Cmd>("w2");

        Assert.Multiple(async () =>
        {
            Assert.That(root.GetSupervisor("inner"), Is.SameAs(innerSupervisor), "restarted in place");
            Assert.That(journal.Entries, Is.EqualTo(new[] { "start:w1", "start:w2", "stop:w2", "stop:w1", "start:w1", "start:w2" }));
            Assert.That(await restartedW2.PingAsync(), Is.EqualTo(1));
            Assert.That(events.Of<ChildRestarted>().Select(e => e.ChildId), Is.EqualTo(new[] { "inner" }));
            Assert.That(root.State, Is.EqualTo(ActorState.Running));
        });
    }
}
