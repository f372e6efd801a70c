using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Graph.Engine.Graphs;
using Graph.Engine.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Spectre.Console;

namespace Graph.Cli.Cluster;

/// <summary>
/// <c>graph cluster-demo [--pg CONN] [--threads N] [--step-ms MS]</c>: starts PostgreSQL (unless given one), two silos as
/// child processes and a client, runs chain10 on many threads, kills a silo mid-run, and shows the runs finishing on the
/// survivor with the failover time and a check that nothing was lost or run twice.
/// </summary>
internal static class ClusterDemoCommand
{
    public static Command Create(CliContext context)
    {
        var pg = new Option<string?>("--pg") { Description = "A PostgreSQL connection string (default: GRAPH_TEST_POSTGRES, else a throwaway local server).", HelpName = "CONN" };
        var threads = new Option<int>("--threads") { Description = "How many threads to run (default 20).", HelpName = "N", DefaultValueFactory = _ => 20 };
        var stepMs = new Option<int>("--step-ms") { Description = "Work per node in milliseconds (default 200).", HelpName = "MS", DefaultValueFactory = _ => 200 };
        var throughput = new Option<int?>("--throughput")
        {
            Description = "Measure instead: run --threads chain10 runs with no node work and no kill on this many silos (1 or 2), and print runs/s.",
            HelpName = "SILOS",
        };
        var command = new Command("cluster-demo", "Run chain10 on a two-silo Orleans cluster (membership in PostgreSQL), kill a silo mid-run, and check the failover.")
        {
            pg, threads, stepMs, throughput,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetValue(pg), parsed.GetValue(threads), parsed.GetValue(stepMs), parsed.GetValue(throughput), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? pg, int threads, int stepMs, int? throughput, CancellationToken cancellationToken)
    {
        if (threads < 2 || stepMs < 10)
        {
            throw new CliException(ExitCodes.Usage, "--threads must be at least 2 and --step-ms at least 10.");
        }

        if (throughput is not null and not (1 or 2))
        {
            throw new CliException(ExitCodes.Usage, "--throughput takes 1 or 2 (silos).");
        }

        var console = context.Out;
        return await WithDatabaseAsync(
            console,
            pg,
            (database, folder) => throughput is { } silos
                ? ClusterThroughput.RunAsync(console, database, folder, threads, silos, cancellationToken)
                : RunClusterAsync(console, database, folder, threads, TimeSpan.FromMilliseconds(stepMs), cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the cluster's database (<paramref name="pg"/>, else GRAPH_TEST_POSTGRES, else a
    /// throwaway local server, stopped after) and a temporary folder for the silos' effect logs (deleted after).
    /// </summary>
    public static async Task<int> WithDatabaseAsync(IAnsiConsole console, string? pg, Func<string, string, Task<int>> body, CancellationToken cancellationToken)
    {
        LocalPostgres? server = null;
        pg ??= Environment.GetEnvironmentVariable("GRAPH_TEST_POSTGRES") is { Length: > 0 } env ? env : null;
        if (pg is null)
        {
            console.MarkupLine("starting a throwaway PostgreSQL server…");
            server = await LocalPostgres.StartAsync(cancellationToken).ConfigureAwait(false);
            pg = server.ConnectionString;
        }

        var folder = Directory.CreateTempSubdirectory("graph-cluster-demo.").FullName;
        try
        {
            return await body(pg, folder).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static async Task<int> RunClusterAsync(IAnsiConsole console, string pg, string folder, int threadCount, TimeSpan step, CancellationToken cancellationToken)
    {
        var cluster = "demo-" + Guid.NewGuid().ToString("N")[..8];
        var effects = new EffectLog(folder);
        string[] Args(int siloPort, int gatewayPort) =>
        [
            "--pg", pg, "--cluster", cluster, "--effects", effects.Path,
            "--silo-port", Port(siloPort), "--gateway-port", Port(gatewayPort), "--step-ms", Port((int)step.TotalMilliseconds),
        ];

        await using var siloA = SiloProcess.Start(Args(FreePort(), FreePort()));
        var addressA = await siloA.Ready.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        await using var siloB = SiloProcess.Start(Args(FreePort(), FreePort()));
        var addressB = await siloB.Ready.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        console.MarkupLine(Markup.Escape($"silo A {addressA} (pid {siloA.Id}), silo B {addressB} (pid {siloB.Id}), cluster '{cluster}', membership and checkpoints in PostgreSQL"));

        using var client = await StartClientAsync(pg, cluster, cancellationToken).ConfigureAwait(false);
        var graph = new ClusterGraph<int, int>(client.Services.GetRequiredService<IClusterClient>(), ClusterDemoGraph.Name, new ClusterGraphOptions { PollInterval = TimeSpan.FromSeconds(1) });

        var threads = Enumerable.Range(1, threadCount).Select(i => $"{cluster}-t{i:D3}").ToArray();
        var clock = Stopwatch.StartNew();
        var runs = threads.Select(t => graph.RunAsync(0, new RunOptions { ThreadId = t }, cancellationToken)).ToArray();

        // Kill silo A once it is running steps and about a fifth of all steps have run: threads are mid-run then.
        while (effects.Read() is var seen && (seen.Count < threadCount * ClusterDemoGraph.Length / 5 || !seen.Any(e => e.Silo == addressA)))
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        siloA.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        console.MarkupLine(Markup.Escape($"killed silo A (SIGKILL) after {clock.Elapsed.TotalSeconds:F1} s, {effects.Read().Count} steps in"));

        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false);
        var nodes = Enumerable.Range(1, ClusterDemoGraph.Length).Select(k => "n" + k).ToArray();
        var report = FailoverReport.Analyse(effects.Read(), threads, nodes, addressA, killedAt);
        var wrong = results.Count(r => r.State != ClusterDemoGraph.FinalState);

        var table = new Table().AddColumn("check").AddColumn("result");
        table.AddRow("threads finished", Markup.Escape($"{results.Length} of {threadCount} in {clock.Elapsed.TotalSeconds:F1} s"));
        table.AddRow("final state 55 (as an uninterrupted run)", Markup.Escape($"{results.Length - wrong} of {results.Length}"));
        table.AddRow("runs in flight on silo A at the kill", Markup.Escape($"{report.ThreadsOnKilledSilo} (resumed on silo B from their last checkpoints)"));
        table.AddRow("failover (kill → next step served on B)", Markup.Escape(report.FirstFailover is { } first
            ? $"{first.TotalSeconds:F1}–{report.LastFailover!.Value.TotalSeconds:F1} s"
            : "no run was on silo A"));
        table.AddRow("checkpointed nodes run twice", Markup.Escape(report.Duplicates.Count == 0 ? "0" : string.Join(", ", report.Duplicates)));
        table.AddRow("steps lost", Markup.Escape(report.Missing.Count == 0 ? "0" : string.Join(", ", report.Missing)));
        table.AddRow("nodes in flight at the kill, run again", Markup.Escape($"{report.InFlightRerun} (at-least-once: docs/scale-out.md)"));
        console.Write(table);

        await client.StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (wrong > 0 || report.Duplicates.Count > 0 || report.Missing.Count > 0)
        {
            throw new CliException(ExitCodes.Failure, "the failover check failed (see the table above).");
        }

        console.MarkupLine("ok: every run finished once on the survivor; nothing lost, no checkpointed node run twice");
        return ExitCodes.Ok;
    }

    internal static string Port(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A started client of the demo cluster <paramref name="cluster"/>, finding its gateways in PostgreSQL.</summary>
    internal static async Task<IHost> StartClientAsync(string pg, string cluster, CancellationToken cancellationToken)
    {
        var client = new HostBuilder()
            .UseOrleansClient(c => c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster;
                    o.ServiceId = "graph-cluster-demo";
                })
                .UsePostgresClustering(pg))
            .Build();
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }
}
