using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>
/// one_for_all with intensity 1 where b and then d crash back to back (the scenario), made deterministic
/// with gates: the rule for the messages queued to the members decides the outcome, never thread timing.
/// </summary>
public class SupervisorGroupRestartQueueTests
{
    [Test]
    public async Task GroupRestart_DeadLetterRule_DCrashStillQueued_IsDeadLetteredRestartedAndTheGroupSurvivesAsOtp()
    {
        await using var system = new ActorSystem("s");
        using var deadLetters = new DeadLetterRecorder(system);
        var journal = new Journal();
        var supervisor = await StartAsync(system, journal, QueuedMessages.DeadLetter);
        var mark = journal.Count;

        await QueueCrashBehindBusyHandlerAsync(supervisor.GetChild<Cmd>("d"));
        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail(-2));
        await journal.WaitUntil(j => j.Since(mark).Contains("start:d"), "the group restarted");
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await supervisor.GetChild<Cmd>(id).PingAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(Trace(journal, mark), Is.EqualTo("-d -c -a +a +b +c +d".Split(' ')), "OTP's trace");
            Assert.That(deadLetters.Messages<Cmd>(DeadLetterReason.Restarted).Select(c => c.Value), Is.EqualTo(new[] { -4 }), "d's queued crash died with its instance");
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Running), "one restart: within intensity 1");
        });
    }

    [Test]
    public async Task GroupRestart_KeepRule_DCrashStillQueued_IsReplayedAndExceedsIntensity()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await StartAsync(system, journal, QueuedMessages.Keep);

        await QueueCrashBehindBusyHandlerAsync(supervisor.GetChild<Cmd>("d"));
        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail(-2));

        Assert.That(async () => await supervisor.Completion.Bounded(), Throws.TypeOf<RestartIntensityExceededException>(), "the new d handled the queued crash: a second restart");
    }

    [TestCase(QueuedMessages.Keep)]
    [TestCase(QueuedMessages.DeadLetter)]
    public async Task GroupRestart_BAndDBothCrashedAndReported_TheSecondReportIsAbsorbedEitherWay(QueuedMessages rule)
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var supervisor = await StartAsync(system, journal, rule);
        var b = supervisor.GetChild<Cmd>("b");
        var d = supervisor.GetChild<Cmd>("d");

        // Hold the supervisor's loop so that both children are suspended by their failures before it decides.
        var held = supervisor.StartChildAsync(ChildSpec.Worker<Cmd>("e", () =>
        {
            entered.Set();
            gate.Wait(Wait.Timeout);
            return new Probe("e", journal);
        }, RestartType.Temporary));
        await Wait.For(Task.Run(() => entered.Wait(Wait.Timeout)), "the supervisor's loop is held");
        b.Tell(Cmd.Fail(-2));
        await events.WaitForAsync<ActorFailed>(1, e => e.Path == b.Path);
        d.Tell(Cmd.Fail(-4));
        await events.WaitForAsync<ActorFailed>(1, e => e.Path == d.Path);
        gate.Set();
        await held.Bounded();
        await journal.WaitUntil(j => j.CountOf("start:d") == 2, "the group restarted");
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await supervisor.GetChild<Cmd>(id).PingAsync();
        }

        Assert.Multiple(() =>
        {
            // Which report reaches the supervisor first is up to the two children's threads; the other is absorbed.
            Assert.That(supervisor.State, Is.EqualTo(ActorState.Running), "one restart: the second report was absorbed by the group restart");
            Assert.That(events.Of<ChildFailed>().Select(e => e.ChildId), Is.EqualTo(new[] { "b" }).Or.EqualTo(new[] { "d" }));
            Assert.That(journal.CountOf("start:d"), Is.EqualTo(2));
        });
    }

    [Test]
    public void Options_UnknownQueuedMessagesRule_IsRejectedByName()
    {
        var options = new SupervisorOptions { QueuedOnGroupRestart = (QueuedMessages)7 };

        Assert.That(() => ChildSpec.Supervisor("s", options, []), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("QueuedOnGroupRestart"));
    }

    private static Task<Supervisor> StartAsync(ActorSystem system, Journal journal, QueuedMessages rule) =>
        Supervisor.StartAsync(
            system,
            "sup",
            [Probe.Spec("a", journal), Probe.Spec("b", journal), Probe.Spec("c", journal), Probe.Spec("d", journal, shutdown: ChildShutdown.Brutal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll, MaxRestarts = 1, Period = TimeSpan.FromHours(1), QueuedOnGroupRestart = rule }).Bounded();

    /// <summary>d is busy in a handler that ends only when cancelled (d's shutdown is brutal); its crash waits behind it.</summary>
    private static async Task QueueCrashBehindBusyHandlerAsync(ActorRef<Cmd> d)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        d.Tell(Cmd.BlockCancellable(0, started));
        await Wait.For(started.Task, "d is busy");
        d.Tell(Cmd.Fail(-4));
    }

    private static List<string> Trace(Journal journal, int mark)
    {
        var trace = journal.Since(mark).Where(e => !e.StartsWith("got:", StringComparison.Ordinal)).Select(e => e.Split(':') switch
        {
            ["start", var id] => "+" + id,
            ["stop", var id] => "-" + id,
            _ => e,
        }).ToList();
        trace.Remove("-b");
        return trace;
    }
}
