using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class SupervisorMessageTests
{
    [TestCase(SupervisionStrategy.OneForOne)]
    [TestCase(SupervisionStrategy.OneForAll)]
    public async Task Restart_QueuedMessagesSurvive_FailingMessageIsDeadLetteredWithTheException(SupervisionStrategy strategy)
    {
        await using var system = new ActorSystem("s");
        using var dead = new DeadLetterRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)], new SupervisorOptions { Strategy = strategy }).Bounded();
        var a = supervisor.GetChild<Cmd>("a");
        var b = supervisor.GetChild<Cmd>("b");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var boom = new InvalidOperationException("boom");
        b.Tell(Cmd.Block(gate, 0));
        b.Tell(Cmd.FailWith(boom));
        for (var i = 1; i <= 5; i++)
        {
            b.Tell(Cmd.Work(i));
        }

        gate.SetResult();
        await journal.WaitUntil(j => j.CountOf("got:b:5") == 1, "the queued messages were handled");

        var letter = dead.Letters.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(journal.Entries.Where(e => e.StartsWith("got:b", StringComparison.Ordinal)), Is.EqualTo(new[] { "got:b:0", "got:b:1", "got:b:2", "got:b:3", "got:b:4", "got:b:5" }));
            Assert.That(letter.Reason, Is.EqualTo(DeadLetterReason.HandlerFaulted));
            Assert.That(letter.Exception, Is.SameAs(boom));
            Assert.That(letter.Recipient, Is.EqualTo("/s/sup/b"));
            Assert.That(await b.PingAsync(), Is.EqualTo(6), "the fresh instance handled the five queued messages");
            Assert.That(await a.PingAsync(), Is.EqualTo(1), "a was restarted (one-for-all) or never handled anything (one-for-one)");
        });
    }

    [Test]
    public async Task Decider_ResumeStopEscalate_AreHonoured()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var decider = Decider.ByException(new Dictionary<Type, SupervisorDirective>
        {
            [typeof(ArgumentException)] = SupervisorDirective.Resume,
            [typeof(TimeoutException)] = SupervisorDirective.Stop,
            [typeof(NotSupportedException)] = SupervisorDirective.Escalate,
        });
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)], new SupervisorOptions { Decider = decider, MaxRestarts = 10 }).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        await a.PingAsync();
        a.Tell(Cmd.FailWith(new ArgumentNullException("x")));
        Assert.That(await a.PingAsync(), Is.EqualTo(3), "resumed: same instance, state kept");

        a.Tell(Cmd.FailWith(new TimeoutException()));
        await events.WaitForAsync<ChildExited>(1, e => e.ChildId == "a");
        Assert.That(journal.CountOf("start:a"), Is.EqualTo(1), "stopped, not restarted");
        Assert.That((await supervisor.WhichChildrenAsync()).Single(c => c.Id == "a").Child, Is.Null, "spec kept, terminated");

        supervisor.GetChild<Cmd>("b").Tell(Cmd.FailWith(new NotSupportedException("nope")));
        var failure = await Assert.ThrowsAsync<ChildEscalatedException>(() => supervisor.Completion.Bounded());
        Assert.Multiple(() =>
        {
            Assert.That(failure!.ChildId, Is.EqualTo("b"));
            Assert.That(failure.InnerException, Is.TypeOf<NotSupportedException>());
            Assert.That(events.Of<ChildFailed>().Select(e => e.Directive), Is.EqualTo(new[] { SupervisorDirective.Resume, SupervisorDirective.Stop, SupervisorDirective.Escalate }));
        });
    }

    [Test]
    public async Task Events_OneRestart_AreAllPublishedWithDetails()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Probe.Spec("a", journal)]).Bounded();
        var message = Cmd.Fail(42);

        supervisor.GetChild<Cmd>("a").Tell(message);
        await events.WaitForAsync<ChildRestarted>(1);

        var failed = events.Of<ChildFailed>().Single();
        var restarted = events.Of<ChildRestarted>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(events.Of<ChildStarted>().Single().ChildPath, Is.EqualTo("/s/sup/a"));
            Assert.That(failed.Message, Is.SameAs(message));
            Assert.That(failed.Exception.Message, Does.Contain("42"));
            Assert.That(failed.Path, Is.EqualTo("/s/sup"));
            Assert.That(restarted.Attempt, Is.EqualTo(1));
            Assert.That(restarted.Delay, Is.EqualTo(TimeSpan.Zero));
        });
    }
}
