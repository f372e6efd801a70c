using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>Kill a child at random times until the supervisor dies: it dies exactly when a simple sliding-window model says so.</summary>
public class RestartFrequencyPropertyTests
{
    private static IEnumerable<TestCaseData> Seeds() =>
        Enumerable.Range(1, 40).Select(seed => new TestCaseData(seed).SetName($"Supervisor_RandomFailures_DiesExactlyWhenTheWindowSays_seed{seed}"));

    [TestCaseSource(nameof(Seeds))]
    public async Task Supervisor_RandomFailures_DiesExactlyWhenTheWindowSays(int seed)
    {
        var random = new Random(seed);
        var maxRestarts = random.Next(0, 5);
        var period = TimeSpan.FromMilliseconds(random.Next(500, 5000));
        var time = new FakeClock();
        await using var system = new ActorSystem("s", new ActorSystemOptions { TimeProvider = time });
        var journal = new Journal();
        var strategy = (SupervisionStrategy)random.Next(3);
        var supervisor = await Supervisor.StartAsync(
            system, "sup", [Probe.Spec("a", journal), Probe.Spec("b", journal)],
            new SupervisorOptions { Strategy = strategy, MaxRestarts = maxRestarts, Period = period }).Bounded();

        var model = new List<TimeSpan>();
        var now = TimeSpan.Zero;
        for (var failure = 1; failure <= 200; failure++)
        {
            var step = TimeSpan.FromMilliseconds(random.Next(0, (int)(period.TotalMilliseconds / Math.Max(1, maxRestarts))));
            time.Advance(step);
            now += step;
            model.RemoveAll(t => now - t >= period);
            model.Add(now);
            var modelSaysDie = model.Count > maxRestarts;

            var victim = random.Next(2) == 0 ? "a" : "b";
            var startsBefore = journal.CountOf("start:" + victim);
            supervisor.GetChild<Cmd>(victim).Tell(Cmd.Fail(failure));
            if (modelSaysDie)
            {
                await Assert.ThrowsAsync<RestartIntensityExceededException>(() => supervisor.Completion.Bounded());
                Assert.That(failure, Is.GreaterThan(maxRestarts), "never before MaxRestarts + 1 failures");
                return;
            }

            await Wait.For(Task.WhenAny(journal.When(j => j.CountOf("start:" + victim) == startsBefore + 1), supervisor.Completion), $"failure {failure} handled");
            Assert.That(supervisor.Completion.IsCompleted, Is.False, $"seed {seed}: failure {failure} at {now} must not kill (window {model.Count}/{maxRestarts})");
            await supervisor.GetChild<Cmd>(victim).PingAsync();
        }
    }
}
