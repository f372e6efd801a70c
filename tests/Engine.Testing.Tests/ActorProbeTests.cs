using Graph.Engine.Actors;
using Graph.Engine.Supervision;

namespace Graph.Engine.Testing.Tests;

public class ActorProbeTests
{
    private SimulatedClock clock = null!;
    private ActorSystem system = null!;

    [SetUp]
    public void SetUp()
    {
        clock = new SimulatedClock();
        system = new ActorSystem("probe-tests", new ActorSystemOptions { TimeProvider = clock });
    }

    [TearDown]
    public async Task TearDown() => await system.DisposeAsync();

    [Test]
    public async Task ExpectMessageAsync_ReplySent_Received()
    {
        await using var probe = new ActorProbe(system);
        var replies = probe.Ref<string>();
        var echo = system.Spawn<int>("echo", (n, _) => replies.SendAsync($"got {n}"));
        echo.Tell(7);
        Assert.That(await probe.ExpectMessageAsync<string>(TimeSpan.FromSeconds(1)), Is.EqualTo("got 7"));
    }

    [Test]
    public async Task ExpectMessageAsync_NothingSentAndClockMoved_FailsAtTheFakeDeadline()
    {
        await using var probe = new ActorProbe(system);
        _ = probe.Ref<string>();
        var expectation = probe.ExpectMessageAsync<string>(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<AssertionException>(async () => await expectation);
        Assert.That(error!.Message, Does.Contain("within 00:00:05 on the system's clock"));
    }

    [Test]
    public async Task ExpectNoMessageAsync_TimerSendsLater_PassesThenSeesIt()
    {
        await using var probe = new ActorProbe(system);
        var target = probe.Ref<string>();
        using var timer = clock.CreateTimer(_ => target.Tell("late"), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        await probe.ExpectNoMessageAsync(TimeSpan.FromSeconds(9));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await probe.ExpectMessageAsync<string>(TimeSpan.Zero + TimeSpan.FromSeconds(1)), Is.EqualTo("late"));
    }

    [Test]
    public async Task ExpectNoMessageAsync_MessageArrives_Fails()
    {
        await using var probe = new ActorProbe(system);
        probe.Ref<string>().Tell("unexpected");
        var error = await Assert.ThrowsAsync<AssertionException>(() => probe.ExpectNoMessageAsync(TimeSpan.FromSeconds(1)));
        Assert.That(error!.Message, Does.Contain("expected no message"));
    }

    [Test]
    public async Task ExpectTerminatedAsync_WatchedActorStops_Terminated()
    {
        await using var probe = new ActorProbe(system);
        var worker = system.Spawn<int>("worker", (_, _) => ValueTask.CompletedTask);
        probe.Watch(worker);
        await worker.StopAsync();
        var terminated = await probe.ExpectTerminatedAsync(worker, TimeSpan.FromSeconds(1));
        Assert.That(terminated.Reason, Is.Null);
    }

    [Test]
    public async Task ExpectEventAsync_ChildCrashes_FailedThenRestartedAfterFakeBackoff()
    {
        await using var probe = new ActorProbe(system);
        probe.WatchSupervision();
        var options = new SupervisorOptions { RestartDelay = RestartDelay.Fixed(TimeSpan.FromSeconds(30)) };
        var supervisor = await Supervisor.StartAsync(system, "sup", [ChildSpec.Worker<int>("child", () => new Crashing())], options);
        await probe.ExpectEventAsync<ChildStarted>(TimeSpan.FromSeconds(1));
        supervisor.GetChild<int>("child").Tell(1);
        await probe.ExpectEventAsync<ChildFailed>(TimeSpan.FromSeconds(1), e => e.ChildId == "child");
        var restarted = probe.ExpectEventAsync<ChildRestarted>(TimeSpan.FromMinutes(1));
        await clock.WhenArmedAsync(TimeSpan.FromSeconds(30)); // the supervisor's restart delay
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That((await restarted).Delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
        await supervisor.StopAsync();
    }

    private sealed class Crashing : IActor<int>
    {
        public ValueTask ReceiveAsync(int message, ActorContext context) => throw new InvalidOperationException("crash");
    }
}
