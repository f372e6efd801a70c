using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>Starts in-process test clusters of graph silos.</summary>
public static class Clusters
{
    public static async Task<TestCluster> StartAsync(short silos, bool postgres = false)
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<GraphSilo>();
        if (postgres)
        {
            builder.Options.UseTestClusterMembership = false;
            builder.AddSiloBuilderConfigurator<PostgresSilo>();
            builder.AddClientBuilderConfigurator<PostgresClient>();
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
