using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

public class RestartDelayTests
{
    [Test]
    public void DelayFor_ExponentialWithoutJitter_DoublesUpToTheCap()
    {
        var delay = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), jitter: 0);

        var delays = Enumerable.Range(1, 6).Select(delay.DelayFor).Select(d => d.TotalSeconds);

        Assert.That(delays, Is.EqualTo(new double[] { 1, 2, 4, 8, 10, 10 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void DelayFor_WithJitter_StaysWithinTheBandAndTheCap(int seed)
    {
        var delay = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), factor: 2, jitter: 0.25, random: new Random(seed));

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var nominal = Math.Min(30, Math.Pow(2, attempt - 1));
            for (var i = 0; i < 50; i++)
            {
                var actual = delay.DelayFor(attempt).TotalSeconds;
                Assert.That(actual, Is.InRange(nominal * 0.75, Math.Min(30, nominal * 1.25)), $"attempt {attempt}");
            }
        }
    }

    [Test]
    public void DelayFor_SameSeed_SameDelays()
    {
        var a = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random: new Random(7));
        var b = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random: new Random(7));

        Assert.That(Enumerable.Range(1, 8).Select(a.DelayFor), Is.EqualTo(Enumerable.Range(1, 8).Select(b.DelayFor)));
    }

    [TestCase(SupervisionStrategy.OneForOne)]
    [TestCase(SupervisionStrategy.OneForAll)]
    public async Task Restart_ExponentialDelay_FollowsTheCurveAndResetsAfterQuiet(SupervisionStrategy strategy)
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var policy = RestartDelay.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), jitter: 0, resetAfter: TimeSpan.FromSeconds(60));
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Probe.Spec("a", journal)],
            new SupervisorOptions { Strategy = strategy, MaxRestarts = 100, Period = TimeSpan.FromSeconds(1), RestartDelay = policy }).Bounded();
        var a = supervisor.GetChild<Cmd>("a");

        async Task FailAndExpectDelay(int expectedSeconds, int restartsSoFar)
        {
            a.Tell(Cmd.Fail());
            await time.WhenArmed(TimeSpan.FromSeconds(expectedSeconds));
            time.Advance(TimeSpan.FromSeconds(expectedSeconds) - TimeSpan.FromTicks(1));
            Assert.That(journal.CountOf("start:a"), Is.EqualTo(restartsSoFar + 1), "not restarted before the delay");
            time.Advance(TimeSpan.FromTicks(1));
            await journal.WaitUntil(j => j.CountOf("start:a") == restartsSoFar + 2, "restarted after the delay");
            await a.PingAsync();
        }

        await FailAndExpectDelay(1, 0);
        await FailAndExpectDelay(2, 1);
        await FailAndExpectDelay(4, 2);
        await FailAndExpectDelay(4, 3);
        time.Advance(TimeSpan.FromSeconds(60));
        await FailAndExpectDelay(1, 4);

        Assert.That(events.Of<ChildRestarted>().Select(e => (e.Attempt, e.Delay.TotalSeconds)), Is.EqualTo(new[] { (1, 1.0), (2, 2.0), (3, 4.0), (4, 4.0), (1, 1.0) }));
    }

    [TestCase(SupervisionStrategy.OneForOne, "fail")]
    [TestCase(SupervisionStrategy.OneForOne, "stop")]
    [TestCase(SupervisionStrategy.RestForOne, "fail")]
    public async Task StopAsync_DuringRestartDelay_StartsNothing(SupervisionStrategy strategy, string exit)
    {
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)],
            new SupervisorOptions { Strategy = strategy, RestartDelay = RestartDelay.Fixed(TimeSpan.FromSeconds(10)) }).Bounded();

        supervisor.GetChild<Cmd>("a").Tell(exit == "fail" ? Cmd.Fail() : Cmd.StopSelf);
        await time.WhenArmed(TimeSpan.FromSeconds(10));
        await supervisor.StopAsync().Bounded();
        time.Advance(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(journal.CountOf("start:a"), Is.EqualTo(1));
            Assert.That(journal.CountOf("start:b"), Is.EqualTo(1));
            Assert.That(system.GetHealth().Actors, Is.Empty);
        });
    }
}
