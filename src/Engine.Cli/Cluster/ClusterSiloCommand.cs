using System.CommandLine;
using System.Net;
using Graph.Engine.Checkpoints;
using Graph.Engine.Orleans;
using Graph.Engine.Postgres;
using Graph.Engine.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Graph.Cli.Cluster;

/// <summary>
/// <c>graph cluster-silo</c> (hidden): one silo of the cluster demo (and of the out-of-process cluster test), hosting
/// chain10 with checkpoints in PostgreSQL (or a shared SQLite file), membership in PostgreSQL, TCP on loopback. Prints "READY silo" once active
/// and "HOLD thread node" when a held node is reached; runs until killed or its standard input closes.
/// </summary>
internal static class ClusterSiloCommand
{
    public static Command Create(CliContext context)
    {
        var pg = new Option<string>("--pg") { Description = "Npgsql connection string of the cluster database.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "The cluster id.", Required = true };
        var store = new Option<FileInfo?>("--store") { Description = "A shared SQLite checkpoint file instead of the PostgreSQL checkpointer on --pg." };
        var effects = new Option<DirectoryInfo>("--effects") { Description = "The folder of the append-only effect logs (one file per process).", Required = true };
        var siloPort = new Option<int>("--silo-port") { Description = "The silo-to-silo TCP port.", Required = true };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "The client gateway TCP port.", Required = true };
        var stepDelay = new Option<int>("--step-ms") { Description = "Work per node, in milliseconds.", DefaultValueFactory = _ => 0 };
        var holdAt = new Option<string?>("--hold-at") { Description = "A node whose first execution per thread never ends." };
        var command = new Command("cluster-silo", "One silo of the cluster demo (started by cluster-demo).")
        {
            pg, cluster, store, effects, siloPort, gatewayPort, stepDelay, holdAt,
        };
        command.Hidden = true;
        command.SetAction((parsed, cancellationToken) => RunAsync(
            context,
            new SiloSettings(parsed.GetRequiredValue(pg), parsed.GetRequiredValue(cluster), parsed.GetValue(store)?.FullName, parsed.GetRequiredValue(effects).FullName,
                parsed.GetRequiredValue(siloPort), parsed.GetRequiredValue(gatewayPort), TimeSpan.FromMilliseconds(parsed.GetValue(stepDelay)), parsed.GetValue(holdAt)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, SiloSettings settings, CancellationToken cancellationToken)
    {
        var output = context.Out.Profile.Out.Writer;
        ICheckpointer checkpoints = settings.Store is { } file
            ? SqliteCheckpointer.Open(file)
            : await PostgresCheckpointer.OpenAsync(CheckpointPool(settings.Postgres), cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var _ = ((IAsyncDisposable)checkpoints).ConfigureAwait(false);
        var effects = new EffectLog(settings.Effects);
        using var host = new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.Cluster;
                    o.ServiceId = "graph-cluster-demo";
                })
                .ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort)
                .UsePostgresClustering(settings.Postgres)
                .UseFastFailover()
                .AddGraph(ClusterDemoGraph.Name, sp => ClusterDemoGraph.Build(
                    checkpoints, effects, sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString(), settings.StepDelay, settings.HoldAt, output)))
            .Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        await output.WriteLineAsync($"READY {address}").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Runs until stdin closes (the parent is done) or the process is killed.
        await Task.Run(() => Console.In.ReadToEnd(), cancellationToken).ConfigureAwait(false);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The checkpointer's connection pool per silo (the runs' reads and the writer's connection): with the cluster
    /// tables' 8 it keeps two silos and a client within a default server's 100 connections (docs/scale-out.md).
    /// </summary>
    internal const int CheckpointPoolSize = 30;

    private static string CheckpointPool(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = CheckpointPoolSize }.ConnectionString;

    private sealed record SiloSettings(string Postgres, string Cluster, string? Store, string Effects, int SiloPort, int GatewayPort, TimeSpan StepDelay, string? HoldAt);
}
