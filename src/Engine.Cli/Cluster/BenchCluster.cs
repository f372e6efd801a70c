using System.Globalization;
using Spectre.Console;

namespace Graph.Cli.Cluster;

/// <summary>
/// <c>graph bench --cluster [--quick] [--pg CONN]</c>: chain10 runs per second on one and then two Orleans silo
/// processes (<see cref="ClusterThroughput"/>), checkpoints and membership in PostgreSQL, every run on its own thread
/// and all started at once; then the failover time (kill → next step served on the survivor) with the cluster demo's
/// kill. Exits 0 when the runs finish and the failover check holds: the figures move with the machine's load.
/// </summary>
internal static class BenchCluster
{
    /// <summary>Runs started at once per measurement.</summary>
    public const int Runs = 200;

    /// <summary>Runs started at once with <c>--quick</c>.</summary>
    public const int QuickRuns = 40;

    /// <summary>Threads of the failover measurement.</summary>
    public const int FailoverThreads = 10;

    public static Task<int> RunAsync(CliContext context, string? pg, bool quick, CancellationToken cancellationToken)
    {
        var console = context.Out;
        var runs = quick ? QuickRuns : Runs;
        return ClusterDemoCommand.WithDatabaseAsync(
            console,
            pg,
            async (database, folder) =>
            {
                console.MarkupLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[grey]graph bench --cluster: chain10, {runs} runs at once on their own threads, checkpoints in PostgreSQL, silos as child processes, {Environment.ProcessorCount} core(s)[/]"));
                foreach (var silos in (int[])[1, 2])
                {
                    await ClusterThroughput.RunAsync(console, database, folder, runs, silos, cancellationToken).ConfigureAwait(false);
                }

                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]failover: {FailoverThreads} threads on two silos, one killed mid-run[/]"));
                var failover = Directory.CreateDirectory(Path.Combine(folder, "failover")).FullName;
                return await ClusterDemoCommand.RunClusterAsync(console, database, failover, FailoverThreads, TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }
}
