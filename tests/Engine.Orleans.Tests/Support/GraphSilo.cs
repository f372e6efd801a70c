using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>Every test silo: the three test graphs (each node records which silo ran it) and fast failover.</summary>
public sealed class GraphSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) => siloBuilder
        .AddGraph(TestGraphs.Chain, sp => TestGraphs.BuildChain(SiloOf(sp)))
        .AddGraph(TestGraphs.Gated, sp => TestGraphs.BuildGated(SiloOf(sp)))
        .AddGraph(TestGraphs.Ask, sp => TestGraphs.BuildAsk(SiloOf(sp)))
        .AddGraph(TestGraphs.Failing, _ => TestGraphs.BuildFailing())
        .AddGraph(TestGraphs.Split, _ => TestGraphs.BuildSplit())
        .UseFastFailover();

    private static string SiloOf(IServiceProvider services) => services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
}

/// <summary>A test silo whose membership and run registry live in PostgreSQL.</summary>
public sealed class PostgresSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) => siloBuilder.UsePostgresClustering(PostgresServer.ConnectionString!);
}

/// <summary>A test client that finds the gateways in PostgreSQL.</summary>
public sealed class PostgresClient : IClientBuilderConfigurator
{
    public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UsePostgresClustering(PostgresServer.ConnectionString!);
}
