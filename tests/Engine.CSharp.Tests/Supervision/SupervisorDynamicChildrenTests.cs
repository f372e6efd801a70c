using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorDynamicChildrenTests
{
    [Test]
    public async Task StartChildAsync_NewChild_IsStartedLastAndStoppedFirst()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();

        var child = await supervisor.StartChildAsync(Probe.Spec("d", journal)).Bounded();
        await supervisor.StopAsync().Bounded();

        Assert.That(child.Path, Is.EqualTo("/s/sup/d"));
        Assert.That(journal.Entries, Is.EqualTo(new[] { "start:a", "start:d", "stop:d", "stop:a" }));
    }

    [Test]
    public async Task StartChildAsync_DuplicateId_Fails()
    {
        await using var system = new ActorSystem("s");
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", new Journal())]).Bounded();

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => supervisor.StartChildAsync(Probe.Spec("a", new Journal())).Bounded());

        Assert.That(failure!.Message, Does.Contain("'a'"));
    }

    [Test]
    public async Task TerminateRestartDelete_FollowOtpRules()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("t", journal, RestartType.Temporary)]).Bounded();

        await supervisor.TerminateChildAsync("a").Bounded();
        var afterTerminate = await supervisor.CountChildrenAsync().Bounded();
        await Assert.ThrowsAsync<InvalidOperationException>(() => supervisor.DeleteChildAsync("t").Bounded());
        var restarted = await supervisor.RestartChildAsync("a").Bounded();
        await Assert.ThrowsAsync<InvalidOperationException>(() => supervisor.RestartChildAsync("a").Bounded());
        await supervisor.TerminateChildAsync("t").Bounded();
        await supervisor.TerminateChildAsync("a").Bounded();
        await supervisor.DeleteChildAsync("a").Bounded();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => supervisor.RestartChildAsync("a").Bounded());

        Assert.Multiple(async () =>
        {
            Assert.That(afterTerminate, Is.EqualTo(new ChildCounts(2, 1, 0, 2)));
            Assert.That(supervisor.TryGetChild<Cmd>("a", out _), Is.False, "deleted");
            Assert.That(restarted.Path, Is.EqualTo("/s/sup/a"));
            Assert.That(await supervisor.CountChildrenAsync(), Is.EqualTo(new ChildCounts(0, 0, 0, 0)), "temporary deleted on terminate, a deleted");
            Assert.That(journal.CountOf("start:a"), Is.EqualTo(2), "terminate is not a restart");
        });
    }

    [Test]
    public async Task WhichChildren_MixedKinds_ListsInStartOrder()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system, "sup",
            [Probe.Spec("w", journal), ChildSpec.Supervisor("inner", SupervisorOptions.Default, [Probe.Spec("x", journal)])]).Bounded();

        var children = await supervisor.WhichChildrenAsync().Bounded();
        var counts = await supervisor.CountChildrenAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(children.Select(c => (c.Id, c.Kind)), Is.EqualTo(new[] { ("w", ChildKind.Worker), ("inner", ChildKind.Supervisor) }));
            Assert.That(children[1].Child, Is.SameAs(supervisor.GetSupervisor("inner").Ref));
            Assert.That(counts, Is.EqualTo(new ChildCounts(2, 2, 1, 1)));
            Assert.That(() => supervisor.GetChild<string>("w"), Throws.TypeOf<InvalidCastException>());
            Assert.That(() => supervisor.GetChild<Cmd>("nope"), Throws.TypeOf<KeyNotFoundException>());
        });
    }
}
