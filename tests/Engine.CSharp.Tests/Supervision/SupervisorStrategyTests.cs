using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>
/// OTP's supervisor_SUITE, as a table: children a, b, c (a and c permanent); b has the restart type under test
/// and exits in the way under test. Which children restart, in which order, and which do not.
/// </summary>
public class SupervisorStrategyTests
{
    public enum Exit
    {
        Normal,
        Shutdown,
        Exception,
    }

    private static IEnumerable<TestCaseData> Table()
    {
        foreach (var strategy in Enum.GetValues<SupervisionStrategy>())
        {
            foreach (var restart in Enum.GetValues<RestartType>())
            {
                foreach (var exit in Enum.GetValues<Exit>())
                {
                    var restarts = restart == RestartType.Permanent || (restart == RestartType.Transient && exit == Exit.Exception);
                    string[] restarted = !restarts ? []
                        : strategy == SupervisionStrategy.OneForOne ? ["b"]
                        : strategy == SupervisionStrategy.OneForAll ? ["a", "b", "c"]
                        : ["b", "c"];
                    string[] siblingsStopped = !restarts || strategy == SupervisionStrategy.OneForOne ? []
                        : strategy == SupervisionStrategy.OneForAll ? ["c", "a"]
                        : ["c"];
                    yield return new TestCaseData(strategy, restart, exit, restarted, siblingsStopped)
                        .SetName($"ChildExit_{strategy}_{restart}_{exit}_Restarts[{string.Join(",", restarted)}]");
                }
            }
        }
    }

    [TestCaseSource(nameof(Table))]
    public async Task ChildExit_StrategyAndRestartType_RestartsExactlyTheExpectedChildrenInOrder(
        SupervisionStrategy strategy, RestartType restart, Exit exit, string[] restarted, string[] siblingsStopped)
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("a", journal), Probe.Spec("b", journal, restart), Probe.Spec("c", journal)],
            new SupervisorOptions { Strategy = strategy, MaxRestarts = 10 }).Bounded();
        var b = supervisor.GetChild<Cmd>("b");
        var mark = journal.Count;

        switch (exit)
        {
            case Exit.Normal:
                b.Tell(Cmd.StopSelf);
                break;
            case Exit.Shutdown:
                await b.StopAsync().Bounded();
                break;
            case Exit.Exception:
                b.Tell(Cmd.Fail());
                break;
        }

        if (restarted.Length > 0)
        {
            await journal.WaitUntil(j => j.Since(mark).Count(e => e.StartsWith("start:", StringComparison.Ordinal)) >= restarted.Length, "the restarts");
        }
        else
        {
            await events.WaitForAsync<ChildExited>(1, e => e.ChildId == "b");
        }

        // Barrier: the supervisor and every live child have handled everything before this point.
        var children = await supervisor.WhichChildrenAsync().Bounded();
        foreach (var child in children.Where(c => c.Child is not null))
        {
            await supervisor.GetChild<Cmd>(child.Id).PingAsync().Bounded();
        }

        var after = journal.Since(mark);
        var starts = after.Where(e => e.StartsWith("start:", StringComparison.Ordinal)).Select(e => e[6..]).ToArray();
        var stops = after.Where(e => e.StartsWith("stop:", StringComparison.Ordinal) && e != "stop:b").Select(e => e[5..]).ToArray();
        var expectedIds = restart == RestartType.Temporary || (restart == RestartType.Transient && !restarted.Contains("b"))
            ? (restart == RestartType.Temporary ? new[] { "a", "c" } : ["a", "b", "c"])
            : ["a", "b", "c"];
        Assert.Multiple(() =>
        {
            Assert.That(starts, Is.EqualTo(restarted), "children started again, in start order");
            Assert.That(stops, Is.EqualTo(siblingsStopped), "siblings stopped, in reverse start order");
            Assert.That(after, Does.Contain("stop:b"), "b's instance is gone");
            Assert.That(children.Select(c => c.Id), Is.EqualTo(expectedIds), "specs kept (temporary ones deleted)");
            Assert.That(children.FirstOrDefault(c => c.Id == "b")?.Child is not null, Is.EqualTo(restarted.Contains("b")), "b runs iff restarted");
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Running));
            Assert.That(events.Of<ChildRestarted>().Select(e => e.ChildId), Is.EquivalentTo(restarted));
        });
    }

    [Test]
    public async Task OneForAll_TemporarySibling_IsStoppedAndNotRestarted()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("a", journal), Probe.Spec("t", journal, RestartType.Temporary), Probe.Spec("b", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll, MaxRestarts = 10 }).Bounded();
        var mark = journal.Count;

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.Since(mark).Count(e => e.StartsWith("start:", StringComparison.Ordinal)) >= 2, "a and b restarted");
        var children = await supervisor.WhichChildrenAsync().Bounded();

        Assert.Multiple(() =>
        {
            Assert.That(children.Select(c => c.Id), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(journal.Since(mark), Is.EqualTo(new[] { "stop:b", "stop:t", "stop:a", "start:a", "start:b" }));
        });
    }

    [Test]
    public async Task OneForOne_InPlaceRestart_KeepsTheSameRef()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();
        var before = supervisor.GetChild<Cmd>("a");

        before.Tell(Cmd.Fail());
        await journal.WaitUntil(j => j.CountOf("start:a") == 2, "a restarted");

        Assert.That(supervisor.GetChild<Cmd>("a"), Is.SameAs(before));
        Assert.That(await before.PingAsync(), Is.EqualTo(1), "a fresh instance handles the ping");
    }

    [Test]
    public async Task OneForOne_NormalExitOfPermanent_RespawnsAtTheSamePathWithANewRef()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();
        var before = supervisor.GetChild<Cmd>("a");

        before.Tell(Cmd.StopSelf);
        await events.WaitForAsync<ChildRestarted>(1);
        var after = supervisor.GetChild<Cmd>("a");

        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.SameAs(before));
            Assert.That(after.Path, Is.EqualTo(before.Path));
            Assert.That(before.State, Is.EqualTo(ActorState.Stopped));
            Assert.That(system.Find("/s/sup/a"), Is.SameAs(after));
        });
    }
}
