using Graph.Engine.Actors;
using Graph.Engine.Supervision;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Supervision;

/// <summary>
/// A group restart in which a member fails to start, against OTP 25's traces (supervisor_SUITE style): +x started,
/// -x terminated, !x failed to start. The crashing child's own death (the first -b) is not in OTP's trace.
/// </summary>
public class SupervisorGroupStartFailureTests
{
    [Test]
    public async Task GroupRestart_OneForAll_StartFailure_StopsThereAndRetriesAsOtp()
    {
        var trace = await RunAsync(SupervisionStrategy.OneForAll, j => j.CountOf("start:d") == 2);

        Assert.That(trace, Is.EqualTo("-d -c -a +a +b !c -b -a +a +b +c +d".Split(' ')));
    }

    [Test]
    public async Task GroupRestart_RestForOne_StartFailure_StopsThereAndRetriesAsOtp()
    {
        var trace = await RunAsync(SupervisionStrategy.RestForOne, j => j.CountOf("start:d") == 2);

        Assert.That(trace, Is.EqualTo("-d -c +b !c +c +d".Split(' ')));
    }

    [Test]
    public async Task GroupRestart_StartFailure_RetryCountsTowardsIntensity()
    {
        await using var system = new ActorSystem("s");
        using var events = new EventRecorder(system);
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            Specs(journal),
            new SupervisorOptions { Strategy = SupervisionStrategy.OneForAll, MaxRestarts = 1 }).Bounded();

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail());

        Assert.That(async () => await supervisor.Completion.Bounded(), Throws.TypeOf<RestartIntensityExceededException>());
        var entries = journal.Entries;
        Assert.That(entries.Skip(entries.ToList().IndexOf("fail:c")), Does.Not.Contain("start:d"), "d stays unstarted after c's failed start");
    }

    private static async Task<IReadOnlyList<string>> RunAsync(SupervisionStrategy strategy, Func<Journal, bool> done)
    {
        await using var system = new ActorSystem("s");
        var journal = new Journal();
        var supervisor = await Supervisor.StartAsync(
            system,
            "sup",
            Specs(journal),
            new SupervisorOptions { Strategy = strategy, MaxRestarts = 10 }).Bounded();
        var mark = journal.Count;

        supervisor.GetChild<Cmd>("b").Tell(Cmd.Fail());
        await journal.WaitUntil(done, "the group restarted after the retry");
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await supervisor.GetChild<Cmd>(id).PingAsync();
        }

        var trace = journal.Since(mark).Where(e => !e.StartsWith("got:", StringComparison.Ordinal)).Select(e => e.Split(':') switch
        {
            ["start", var id] => "+" + id,
            ["stop", var id] => "-" + id,
            ["fail", var id] => "!" + id,
            _ => e,
        }).ToList();
        trace.Remove("-b");
        return trace;
    }

    /// <summary>a, b, c, d; c's second start (its restart) throws.</summary>
    private static ChildSpec[] Specs(Journal journal)
    {
        var cStarts = 0;
        return
        [
            Probe.Spec("a", journal),
            Probe.Spec("b", journal),
            ChildSpec.Worker<Cmd>("c", () =>
            {
                if (Interlocked.Increment(ref cStarts) == 2)
                {
                    journal.Add("fail:c");
                    throw new InvalidOperationException("c cannot start");
                }

                return Probe.Factory("c", journal)();
            }),
            Probe.Spec("d", journal),
        ];
    }
}
