using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Children never wait for their supervisor: a failure suspends the child and is reported one way.</summary>
public class SupervisorOneWayTests
{
    [Test]
    public async Task StopAsync_ChildSuspendedWhileItsSupervisorIsBusy_StopsWithoutTheSupervisor()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal, RestartType.Transient)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        // Hold the supervisor's loop in a dynamic child's factory.
        var blocked = supervisor.StartChildAsync(ChildSpec.Worker<Cmd>("slow", () =>
        {
            entered.Set();
            gate.Wait(Wait.Timeout);
            return Probe.Factory("slow", journal)();
        }));
        await Wait.For(Task.Run(() => entered.Wait(Wait.Timeout)), "the supervisor's loop is held");
        using var events = new EventRecorder(system);
        a.Tell(Cmd.Fail());
        a.Tell(Cmd.Work(1));
        await events.WaitForAsync<ActorFailed>(1, e => e.Path == a.Path);

        await a.StopAsync().Bounded();
        gate.Set();
        await blocked.Bounded();
        await supervisor.CountChildrenAsync().Bounded(); // the failure report and the exit have been handled

        Assert.Multiple(() =>
        {
            Assert.That(journal.Entries, Does.Not.Contain("got:a:1"), "the suspended child handled nothing after its failure");
            Assert.That(journal.CountOf("start:a"), Is.EqualTo(1), "no restart reached the stopped child");
            Assert.That(a.State, Is.EqualTo(ActorState.Stopped));
        });
    }

    [Test]
    public async Task Failure_WhileTheSupervisorIsBusy_QueuedMessagesWaitForTheFreshInstance()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");
        var b = supervisor.GetChild<Cmd>("b");
        var blocked = supervisor.StartChildAsync(ChildSpec.Worker<Cmd>("slow", () =>
        {
            entered.Set();
            gate.Wait(Wait.Timeout);
            return Probe.Factory("slow", journal)();
        }));
        await Wait.For(Task.Run(() => entered.Wait(Wait.Timeout)), "the supervisor's loop is held");

        a.Tell(Cmd.Fail());
        var afterFailure = a.PingAsync(1);
        await b.PingAsync(2);
        var handledBeforeAnswer = afterFailure.IsCompleted;
        gate.Set();
        await blocked.Bounded();
        await afterFailure;

        Assert.Multiple(() =>
        {
            Assert.That(handledBeforeAnswer, Is.False, "a waits, suspended, for its supervisor's answer");
            Assert.That(journal.Entries.Where(e => e.Contains(":a")), Is.EqualTo(new[] { "start:a", "stop:a", "start:a", "got:a:1" }));
        });
    }
}
