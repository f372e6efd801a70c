using Graph.Engine.Orleans.Postgres;
using Graph.Engine.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Messaging;

namespace Graph.Engine.Orleans;

/// <summary>
/// Keeps the cluster's membership (and the registry of runs in flight, for failover) in PostgreSQL, in tables this
/// package creates and migrates itself (docs/scale-out.md).
/// </summary>
public static class PostgresClusteringExtensions
{
    /// <summary>Uses PostgreSQL for the silo's cluster membership and for the registry of runs in flight.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">An Npgsql connection string; the role needs to create tables on first start.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.TryAddSingleton(_ => new PostgresClusterDatabase(connectionString));
        builder.Services.AddSingleton<IMembershipTable, PostgresMembershipTable>();
        builder.Services.RemoveAll<IRunRegistry>();
        builder.Services.AddSingleton<IRunRegistry, PostgresRunRegistry>();
        return builder;
    }

    /// <summary>Finds the cluster's gateways in PostgreSQL (the silos' membership table).</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.TryAddSingleton(_ => new PostgresClusterDatabase(connectionString));
        builder.Services.AddSingleton<IGatewayListProvider, PostgresGatewayListProvider>();
        return builder;
    }
}
