namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>
/// The race of a restart with its supervisor's orderly stop, pinned to seeds whose plans bring it about
/// (<see cref="Act.StopDuringRestart"/>): the respawn's factory begins the stop and holds until the stop has stopped the
/// new child, so the start fails with "stopped it while its factory ran" after the supervisor has closed. That must end
/// as the stop; with the fix reverted (a start failure counted as stopping only once the close token is cancelled, and
/// otherwise thrown out of the supervisor's handler) each of these seeds fails.
/// </summary>
public class StopDuringRestartTests
{
    /// <summary>Runs of a seed until its plan reaches the fault point: whether the held message finds its worker alive is up to the pool.</summary>
    private const int Attempts = 3;

    [TestCase(9)]
    [TestCase(44)]
    [TestCase(59)]
    public async Task CheckAsync_StopBeginsInsideARestart_TheStopEndsCleanly(int seed)
    {
        var plan = ActorPlan.Case(seed);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var holds = new RestartHolds();

            var problems = await ActorSimulator.CheckAsync(plan, holds);

            Assert.That(problems, Is.Empty, $"seed {seed} (run {attempt}): {plan}");
            if (holds.Notes.Any(n => n.Contains("held until its supervisor's stop had stopped it", StringComparison.Ordinal)))
            {
                return;
            }
        }

        Assert.Fail($"seed {seed} never reached the fault point in {Attempts} runs: {plan}");
    }
}
