using System.Diagnostics;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>Supervision trees under seeded plans of work, crashes (some during a group restart), self-stops and an orderly stop.</summary>
public class ActorSimulationTests
{
    /// <summary>How many cases a run checks (GRAPH_ACTOR_SIMULATION_CASES overrides, for a longer local hunt).</summary>
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("GRAPH_ACTOR_SIMULATION_CASES"), out var n) ? n : 300;

    [Test]
    public async Task RandomPlans_HundredsOfSeeds_ActorInvariantsHold()
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        for (var seed = 0; seed < Cases && failures.Count < 3; seed++)
        {
            if (await ActorSimulator.RunAsync(seed) is { } failure)
            {
                // The plan replays from its seed, the thread interleaving may not: say which it was.
                var replayed = await ActorSimulator.RunAsync(seed) is not null;
                failures.Add($"{failure}{Environment.NewLine}(running the seed again {(replayed ? "failed again" : "passed")})");
            }
        }

        TestContext.Out.WriteLine($"{Cases} simulated actor cases in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    [Test]
    public void Case_SameSeed_SamePlan()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var first = ActorPlan.Case(seed);
            var again = ActorPlan.Case(seed);
            Assert.That(again.Sends, Is.EqualTo(first.Sends));
            Assert.That(again.ToString(), Is.EqualTo(first.ToString()));
        }
    }
}
