namespace Graph.Cli.Cluster;

/// <summary>
/// What the effect log says about a failover: which threads the killed silo had in flight, how long until a survivor
/// served their next step, and whether any node ran twice other than the one each thread had in flight at the kill.
/// </summary>
internal sealed record FailoverReport(
    int Threads,
    int ThreadsOnKilledSilo,
    TimeSpan? FirstFailover,
    TimeSpan? LastFailover,
    int InFlightRerun,
    IReadOnlyList<string> Duplicates,
    IReadOnlyList<string> Missing)
{
    /// <summary>Analyses the effect log of <paramref name="threads"/> after silo <paramref name="killed"/> was killed at <paramref name="killedAt"/>.</summary>
    public static FailoverReport Analyse(IReadOnlyList<Effect> effects, IReadOnlyList<string> threads, IReadOnlyList<string> nodes, string killed, DateTimeOffset killedAt)
    {
        var duplicates = new List<string>();
        var missing = new List<string>();
        var failovers = new List<TimeSpan>();
        var onKilled = 0;
        var rerun = 0;
        foreach (var thread in threads)
        {
            var mine = effects.Where(e => e.ThreadId == thread).ToList();
            var lastOnKilled = mine.LastOrDefault(e => e.Silo == killed && e.At <= killedAt);
            var unfinishedAtKill = mine.Any(e => e.At > killedAt);
            if (lastOnKilled is not null && unfinishedAtKill)
            {
                onKilled++;
                if (mine.FirstOrDefault(e => e.Silo != killed && e.At > killedAt) is { } next)
                {
                    failovers.Add(next.At - killedAt);
                }
            }

            foreach (var node in nodes)
            {
                var runs = mine.Count(e => e.Node == node);
                if (runs == 0)
                {
                    missing.Add($"{thread}/{node}");
                }
                else if (runs > 1 && node == lastOnKilled?.Node && runs == 2)
                {
                    rerun++; // in flight on the killed silo: at least once, by design
                }
                else if (runs > 1)
                {
                    duplicates.Add($"{thread}/{node} x{runs}");
                }
            }
        }

        return new FailoverReport(
            threads.Count,
            onKilled,
            failovers.Count > 0 ? failovers.Min() : null,
            failovers.Count > 0 ? failovers.Max() : null,
            rerun,
            duplicates,
            missing);
    }
}
