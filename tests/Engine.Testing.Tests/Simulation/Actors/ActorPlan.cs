using FsCheck;
using FsCheck.Fluent;
using Graph.Engine.Supervision;

namespace Graph.Engine.Testing.Tests.Simulation.Actors;

/// <summary>What a simulated message asks its worker to do.</summary>
public enum Act
{
    /// <summary>Handle it (sometimes across an await).</summary>
    Work,

    /// <summary>Fail the first time it is handled (a crash), succeed when handled again after a restart.</summary>
    Crash,

    /// <summary>Stop itself (a normal exit: a permanent child restarts).</summary>
    StopSelf,

    /// <summary>Stop itself; its restart then begins the supervisor's orderly stop from inside the new child's factory and holds there until that stop has stopped the child (<see cref="RestartHolds"/>).</summary>
    StopDuringRestart,
}

/// <summary>One message of a plan: to child <paramref name="Child"/> of supervisor <paramref name="Tree"/>.</summary>
public sealed record Send(int Tree, int Child, Act Act);

/// <summary>
/// One actor simulation case: <paramref name="Trees"/> supervisors of <paramref name="Children"/> workers under
/// <paramref name="Strategy"/>; the messages, sent in order; every supervisor is stopped (orderly) after message
/// <paramref name="StopAfter"/> while the rest are still being sent; restarts wait <paramref name="RestartDelaySeconds"/>
/// on the simulated clock, which moves one second after every <paramref name="AdvanceEvery"/> messages. In one
/// <see cref="SupervisionStrategy.OneForOne"/> plan in two, one message asks for <see cref="Act.StopDuringRestart"/>.
/// </summary>
public sealed record ActorPlan(
    int Trees,
    int Children,
    SupervisionStrategy Strategy,
    QueuedMessages Queued,
    int RestartDelaySeconds,
    int AdvanceEvery,
    IReadOnlyList<Send> Sends,
    int StopAfter,
    bool Storm)
{
    public override string ToString() =>
        $"{Trees} trees of {Children} children, {Strategy}, queued {Queued}, restart delay {RestartDelaySeconds} s, clock +1 s every {AdvanceEvery} messages, " +
        $"{Sends.Count} messages ({Sends.Count(s => s.Act == Act.Crash)} crashes, {Sends.Count(s => s.Act == Act.StopSelf)} self-stops), stop after {StopAfter}" +
        (Sends.FirstOrDefault(s => s.Act == Act.StopDuringRestart) is { } held ? $", the stop races t{held.Tree}/c{held.Child}'s restart" : "") +
        (Storm ? ", restart storm around the stop" : "");

    /// <summary>FsCheck generator of plans; crashes come in pairs too, so a second child crashes during the first one's group restart.</summary>
    public static Gen<ActorPlan> Plans { get; } =
        from trees in Gen.Choose(1, 6)
        from children in Gen.Choose(2, 4)
        from strategy in Gen.Elements(SupervisionStrategy.OneForOne, SupervisionStrategy.OneForAll, SupervisionStrategy.RestForOne)
        from queued in Gen.Elements(Enum.GetValues<QueuedMessages>())
        from delay in Gen.Elements(0, 0, 1, 5)
        from advanceEvery in Gen.Choose(1, 10)
        from count in Gen.Choose(20, 200)
        from picks in Gen.ListOf(Gen.Choose(0, 10_000), count)
        from stopAt in Gen.Choose(0, count)
        from storm in Gen.Elements(false, false, true)
        from held in Gen.Choose(-count, count - 1)
        select new ActorPlan(trees, children, strategy, queued, delay, advanceEvery, Hold(Plan(trees, children, picks, storm ? stopAt : -1), strategy == SupervisionStrategy.OneForOne ? held : -1), stopAt, storm);

    /// <summary>The plan of case <paramref name="seed"/>.</summary>
    public static ActorPlan Case(int seed) =>
        Gen.Sample(Plans, 10, new Rnd((ulong)seed, 0xD1B54A32D192ED03UL), 1)[0];

    /// <summary>
    /// Message <paramref name="held"/> (none when negative) becomes <see cref="Act.StopDuringRestart"/>. Only under
    /// one-for-one: in a group restart the other members wait suspended for the restart that holds, and the stop would
    /// wait for them.
    /// </summary>
    private static List<Send> Hold(List<Send> sends, int held)
    {
        if (held >= 0 && held < sends.Count)
        {
            sends[held] = sends[held] with { Act = Act.StopDuringRestart };
        }

        return sends;
    }

    /// <summary>The messages; with a <paramref name="storm"/> (the stop's position) every message near it stops its worker, so restarts are in flight when the supervisors stop.</summary>
    private static List<Send> Plan(int trees, int children, IEnumerable<int> picks, int storm)
    {
        var sends = new List<Send>();
        foreach (var pick in picks)
        {
            var tree = pick % trees;
            var child = pick / 7 % children;
            if (storm >= 0 && sends.Count >= storm - 30 && sends.Count < storm + 30)
            {
                sends.Add(new Send(tree, child, Act.StopSelf));
                continue;
            }

            switch (pick / 100 % 20)
            {
                case 0:
                    sends.Add(new Send(tree, child, Act.Crash));
                    break;
                case 1:
                    // Two children crash back to back: the second fails during the first's group restart.
                    sends.Add(new Send(tree, child, Act.Crash));
                    sends.Add(new Send(tree, (child + 1) % children, Act.Crash));
                    break;
                case 2:
                    sends.Add(new Send(tree, child, Act.StopSelf));
                    break;
                default:
                    sends.Add(new Send(tree, child, Act.Work));
                    break;
            }
        }

        return sends;
    }
}
