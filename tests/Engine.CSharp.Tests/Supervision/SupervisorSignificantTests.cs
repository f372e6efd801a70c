using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Significant children and auto_shutdown, shaped like OTP's supervisor_SUITE significant_* cases.</summary>
public class SupervisorSignificantTests
{
    [Test]
    public async Task AnySignificant_TransientSignificantStopsNormally_SupervisorShutsDownAndStopsTheOthers()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await StartAsync(system, AutoShutdown.AnySignificant, [
            Probe.Spec("a", journal, RestartType.Transient).AsSignificant(),
            Probe.Spec("b", journal)]);

        supervisor.GetChild<Cmd>("a").Tell(Cmd.StopSelf);
        await supervisor.Completion.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Stopped), "a shutdown, not a failure");
            Assert.That(journal.Entries.Where(e => e.StartsWith("stop:", StringComparison.Ordinal)), Is.EqualTo(new[] { "stop:a", "stop:b" }));
            Assert.That(system.Completion.IsFaulted, Is.False);
        });
    }

    [Test]
    public async Task AnySignificant_TransientSignificantFails_IsRestartedAndNoShutdown()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await StartAsync(system, AutoShutdown.AnySignificant, [Probe.Spec("a", journal, RestartType.Transient).AsSignificant()]);

        supervisor.GetChild<Cmd>("a").Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.CountOf("start:a") == 2, "a restarted");
        await supervisor.GetChild<Cmd>("a").PingAsync();

        Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
    }

    [Test]
    public async Task AllSignificant_ShutsDownOnlyWhenTheLastSignificantChildExits()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await StartAsync(system, AutoShutdown.AllSignificant, [
            Probe.Spec("a", journal, RestartType.Temporary).AsSignificant(),
            Probe.Spec("b", journal, RestartType.Temporary).AsSignificant(),
            Probe.Spec("c", journal)]);

        supervisor.GetChild<Cmd>("a").Tell(Cmd.Fail());
        await events.WaitForAsync<ChildExited>(1, e => e.ChildId == "a");
        var counts = await supervisor.CountChildrenAsync().Bounded();
        supervisor.GetChild<Cmd>("b").Tell(Cmd.StopSelf);
        await supervisor.Completion.Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(counts.Specs, Is.EqualTo(2), "still running after a: b is significant and running");
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(journal.Entries, Does.Contain("stop:c"));
        });
    }

    [Test]
    public async Task AnySignificant_ChildTerminatedByTheSupervisor_DoesNotShutItDown()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await StartAsync(system, AutoShutdown.AnySignificant, [
            Probe.Spec("a", journal, RestartType.Transient).AsSignificant(),
            Probe.Spec("b", journal)]);

        await supervisor.TerminateChildAsync("a").Bounded();
        await supervisor.GetChild<Cmd>("b").PingAsync();

        Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
    }

    [Test]
    public void AsSignificant_PermanentChild_IsRejectedByName() =>
        Assert.That(() => ChildSpec.Worker<Cmd>("p", () => null!).AsSignificant(), Throws.ArgumentException.With.Message.Contains("'p'").And.Message.Contains("permanent"));

    [Test]
    public async Task StartAsync_SignificantChildWithAutoShutdownNever_IsRejectedByName()
    {
        await using var system = new ActorSystem("s");
        var spec = ChildSpec.Worker<Cmd>("t", () => null!, RestartType.Temporary).AsSignificant();

        Assert.That(async () => await Supervisor.StartAsync(system, "sup", [spec]), Throws.ArgumentException.With.Message.Contains("'t'").And.Message.Contains("AutoShutdown"));
        var running = await Supervisor.StartAsync(system, "sup2", []).Bounded();
        Assert.That(async () => await running.StartChildAsync(spec), Throws.ArgumentException.With.Message.Contains("AutoShutdown"));
    }

    [Test]
    public async Task GetChildSpecAsync_KnownAndUnknownIds_ReturnsTheSpecOrThrows()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var spec = Probe.Spec("a", journal, RestartType.Transient);
        var supervisor = await Supervisor.StartAsync(system, "sup", [spec]).Bounded();

        Assert.That(await supervisor.GetChildSpecAsync("a").Bounded(), Is.SameAs(spec));
        Assert.That(async () => await supervisor.GetChildSpecAsync("nope"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'nope'"));
    }

    private static Task<Supervisor> StartAsync(ActorSystem system, AutoShutdown rule, ChildSpec[] children) =>
        Supervisor.StartAsync(system, "sup", children, new SupervisorOptions { AutoShutdown = rule, MaxRestarts = 5 }).Bounded();
}
