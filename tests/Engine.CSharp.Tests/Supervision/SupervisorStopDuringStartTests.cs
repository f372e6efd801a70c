using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>A parent that stops while a child's factory still runs: the late instance goes with the stopped child.</summary>
public class SupervisorStopDuringStartTests
{
    [Test]
    public async Task StopAsync_WhileChildFactoryRuns_DisposesTheLateInstanceAndNeverReportsItStartedAfterStopped()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var supervisor = await Supervisor.StartAsync(system, "sup", []).Bounded();
        var spec = ChildSpec.Worker<Cmd>("x", () =>
        {
            entered.Set();
            gate.Wait(Wait.Timeout);
            return Probe.Factory("x", journal)();
        });
        var childPath = supervisor.Path + "/x";

        var start = supervisor.StartChildAsync(spec);
        await Wait.For(Task.Run(() => entered.Wait(Wait.Timeout)), "the factory runs");
        var stopping = supervisor.StopAsync();
        await events.WaitForAsync<ActorStopped>(1, e => e.Path == childPath);
        gate.Set();
        await stopping.Bounded();
        await Task.WhenAny(start).Bounded();

        var forChild = events.All.Where(e => e.Path == childPath).Select(e => e.GetType().Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(journal.Entries, Is.EqualTo(new[] { "start:x", "stop:x" }), "the late instance is disposed");
            Assert.That(forChild, Is.EqualTo(new[] { nameof(ActorStopped) }), "no 'started' after 'stopped'");
            Assert.That(start.IsCompletedSuccessfully, Is.False, "the start did not succeed");
        });
    }
}
