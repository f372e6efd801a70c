using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>PreRestart (with the failure and the message), PostRestart and PostStop (with the reason).</summary>
public class ActorLifecycleHookTests
{
    [Test]
    public async Task RestartInPlace_OneForOne_HooksSeeTheFailureAndTheMessage()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [Hooked.Spec("a", journal)]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");
        var mark = journal.Count;

        a.Tell(Cmd.Fail(-7));
        await a.PingAsync(1);

        Assert.That(journal.Since(mark), Is.EqualTo(new[] { "pre-restart:a:a failed on -7:-7", "stop:a", "start:a", "post-restart:a:a failed on -7", "got:a:1" }));
    }

    [Test]
    public async Task GroupRestart_SiblingHooksSeeNoFailure_TheFailedOneSeesItsOwn()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Hooked.Spec("a", journal), Hooked.Spec("b", journal)],
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll }).Bounded();
        var mark = journal.Count;

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail(-3));
        await journal.WaitUntil(j => j.Since(mark).Count(e => e.StartsWith("post-restart", StringComparison.Ordinal)) == 2, "both restarted");

        Assert.That(journal.Since(mark), Is.EqualTo(new[]
        {
            "pre-restart:b:b failed on -3:-3", "stop:b", "pre-restart:a:-:-", "stop:a",
            "start:a", "post-restart:a:-", "start:b", "post-restart:b:b failed on -3",
        }));
    }

    [Test]
    public async Task Stop_ShutdownAndFailure_PostStopSeesTheReasonBeforeDispose()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var stopped = system.Spawn("x", () => new Hooked("x", journal));
        var failing = system.Spawn("y", () => new Hooked("y", journal));

        await stopped.StopAsync().Bounded();
        failing.Tell(Cmd.Fail(-1));
        await Task.WhenAny(failing.Completion).Bounded();

        Assert.That(journal.Entries.Where(e => e.StartsWith("post-stop", StringComparison.Ordinal) || e.StartsWith("stop", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "post-stop:x:-", "stop:x", "post-stop:y:y failed on -1", "stop:y",
        }));
    }

    [Test]
    public async Task Hooks_ThatThrow_AreReportedAndTheRestartGoesOn()
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<Cmd>("a", () => new Hooked("a", journal) { ThrowInHooks = true })]).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        a.Tell(Cmd.Fail());
        var handled = await a.PingAsync(1);

        Assert.That(handled, Is.EqualTo(1), "the fresh instance handles the next message");
    }

    /// <summary>A probe that also journals its lifecycle hooks: "pre-restart:id:failure:message", "post-restart:id:failure", "post-stop:id:failure".</summary>
    private sealed class Hooked(string id, Journal journal) : IActor<Cmd>, IActorLifecycle, IDisposable
    {
        private readonly Probe _probe = new(id, journal);

        public bool ThrowInHooks { get; init; }

        public static ChildSpec Spec(string id, Journal journal) => ChildSpec.Worker<Cmd>(id, () =>
        {
            journal.Add("start:" + id);
            return new Hooked(id, journal);
        });

        public ValueTask ReceiveAsync(Cmd message, ActorContext context) => _probe.ReceiveAsync(message, context);

        public ValueTask PreRestartAsync(Exception? failure, object? message) =>
            Record($"pre-restart:{id}:{failure?.Message ?? "-"}:{(message as Cmd)?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");

        public ValueTask PostRestartAsync(Exception? failure) => Record($"post-restart:{id}:{failure?.Message ?? "-"}");

        public ValueTask PostStopAsync(Exception? failure) => Record($"post-stop:{id}:{failure?.Message ?? "-"}");

        public void Dispose() => journal.Add("stop:" + id);

        private ValueTask Record(string entry)
        {
            journal.Add(entry);
            return ThrowInHooks ? ValueTask.FromException(new InvalidOperationException("hook")) : ValueTask.CompletedTask;
        }
    }
}
