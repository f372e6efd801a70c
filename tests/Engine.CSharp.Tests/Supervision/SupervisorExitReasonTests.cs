using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Exit reasons read by the restart types, as OTP's supervisor_SUITE transient_* and permanent_* cases.</summary>
public class SupervisorExitReasonTests
{
    private static readonly object Term = "maintenance";

    [TestCase("normal", RestartType.Transient, false, ChildExitKind.Normal)]
    [TestCase("shutdown", RestartType.Transient, false, ChildExitKind.Shutdown)]
    [TestCase("shutdown-term", RestartType.Transient, false, ChildExitKind.Shutdown)]
    [TestCase("abnormal", RestartType.Transient, true, ChildExitKind.Failure)]
    [TestCase("shutdown-term", RestartType.Permanent, true, ChildExitKind.Shutdown)]
    [TestCase("abnormal", RestartType.Temporary, false, ChildExitKind.Failure)]
    public async Task Exit_ReasonAndRestartType_RestartsAsOtp(string reason, RestartType restart, bool restarted, ChildExitKind kind)
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var starts = 0;
        var exit = reason switch
        {
            "normal" => ExitReason.Normal,
            "shutdown" => ExitReason.Shutdown(),
            "shutdown-term" => ExitReason.Shutdown(Term),
            _ => ExitReason.Abnormal(Term),
        };
        var spec = ChildSpec.Worker<string>("c", () =>
        {
            Interlocked.Increment(ref starts);
            return new Exiter(exit);
        }, restart);
        var supervisor = await Supervisor.StartAsync(system, "sup", [spec], new SupervisorOptions { MaxRestarts = 5 }).Bounded();

        supervisor.GetChild<string>("c").Tell("exit");
        await events.WaitForAsync<ChildExited>(1);
        await supervisor.CountChildrenAsync().Bounded();
        var exited = events.Of<ChildExited>().Single();

        Assert.Multiple(() =>
        {
            Assert.That((exited.Kind, exited.WillRestart), Is.EqualTo((kind, restarted)));
            Assert.That(exited.Term, Is.EqualTo(reason is "normal" or "shutdown" ? null : Term));
            Assert.That(Volatile.Read(ref starts), Is.EqualTo(restarted ? 2 : 1));
            if (reason == "abnormal")
            {
                Assert.That(exited.Reason, Is.TypeOf<ActorExitException>().With.Property(nameof(ActorExitException.Term)).EqualTo(Term));
            }
        });
    }

    [Test]
    public async Task Exit_Abnormal_UnsupervisedActorFaultsWithTheTerm()
    {
        await using var system = new ActorSystem("s");
        var actor = system.Spawn("a", () => new Exiter(ExitReason.Abnormal(Term)));

        actor.Tell("exit");

        Assert.That(async () => await actor.Completion.Bounded(), Throws.TypeOf<ActorExitException>().With.Property(nameof(ActorExitException.Term)).EqualTo(Term));
    }

    [Test]
    public void Exit_Null_IsRejected() =>
        Assert.That(() => ExitReason.Abnormal(null!), Throws.ArgumentNullException);

    private sealed class Exiter(ExitReason reason) : IActor<string>
    {
        public ValueTask ReceiveAsync(string message, ActorContext context)
        {
            context.Exit(reason);
            return ValueTask.CompletedTask;
        }
    }
}
