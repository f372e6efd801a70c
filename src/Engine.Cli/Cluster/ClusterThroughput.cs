using System.Diagnostics;
using Graph.Engine.Graphs;
using Graph.Engine.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Graph.Cli.Cluster;

/// <summary>
/// <c>graph cluster-demo --throughput 1|2</c>: chain10 runs per second on one or two silo processes, checkpoints in the
/// silos' shared store, nodes without work, every run on its own thread, all started at once after a warm-up.
/// </summary>
internal static class ClusterThroughput
{
    public static async Task<int> RunAsync(IAnsiConsole console, string pg, string folder, int runs, int siloCount, CancellationToken cancellationToken)
    {
        var cluster = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < siloCount; i++)
            {
                var silo = SiloProcess.Start(
                [
                    "--pg", pg, "--cluster", cluster, "--effects", folder,
                    "--silo-port", ClusterDemoCommand.Port(ClusterDemoCommand.FreePort()), "--gateway-port", ClusterDemoCommand.Port(ClusterDemoCommand.FreePort()),
                ]);
                silos.Add(silo);
                await silo.Ready.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            }

            using var client = await ClusterDemoCommand.StartClientAsync(pg, cluster, cancellationToken).ConfigureAwait(false);
            var graph = new ClusterGraph<int, int>(client.Services.GetRequiredService<IClusterClient>(), ClusterDemoGraph.Name);
            await RunBatchAsync(graph, "warm", Math.Min(runs, 20), cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await RunBatchAsync(graph, "run", runs, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            console.MarkupLine(Markup.Escape($"chain10 on {siloCount} silo(s): {runs} runs in {elapsed.TotalSeconds:F2} s = {runs / elapsed.TotalSeconds:F0} runs/s (checkpoints in PostgreSQL)"));
            await client.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task RunBatchAsync(ClusterGraph<int, int> graph, string prefix, int count, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => graph.RunAsync(0, new RunOptions { ThreadId = $"{prefix}-{i}-{Guid.NewGuid():N}" }, cancellationToken))).ConfigureAwait(false);
        if (results.Any(r => r.State != ClusterDemoGraph.FinalState))
        {
            throw new CliException(ExitCodes.Failure, "a chain10 run ended with a wrong state.");
        }
    }
}
