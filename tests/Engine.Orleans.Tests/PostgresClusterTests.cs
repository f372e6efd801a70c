using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Tests.Support;
using Npgsql;
using Orleans.TestingHost;

namespace Graph.Engine.Orleans.Tests;

/// <summary>A two-silo in-process cluster whose membership, gateway list and run registry live in PostgreSQL.</summary>
[TestFixture]
public sealed class PostgresClusterTests
{
    private TestCluster? cluster;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        PostgresServer.Require();
        cluster = await Clusters.StartAsync(2, postgres: true);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    private TestCluster Cluster => cluster!;

    [Test]
    public async Task Membership_TwoSilos_BothActiveInTheTableAtTheCurrentSchema()
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var members = new NpgsqlCommand("SELECT count(*) FROM graph_cluster_members WHERE cluster_id = $1 AND status = 3", connection);
        members.Parameters.Add(new NpgsqlParameter { Value = Cluster.Options.ClusterId });
        await using var schema = new NpgsqlCommand("SELECT max(version) FROM graph_cluster_schema", connection);

        Assert.Multiple(async () =>
        {
            Assert.That(await members.ExecuteScalarAsync(), Is.EqualTo(2L), "Active is status 3");
            Assert.That(await schema.ExecuteScalarAsync(), Is.EqualTo(PostgresServer.SchemaVersion));
        });
    }

    [Test]
    public async Task RunAsync_ClientFindsGatewaysInPostgres_Runs()
    {
        var graph = new ClusterGraph<int, int>(Cluster.Client, TestGraphs.Chain);
        var state = await Wait.For(graph.InvokeAsync(1), "the run ends");
        Assert.That(state, Is.EqualTo(16));
    }

    [Test]
    public async Task RunAsync_SiloKilledMidStep_SurvivorResumesTheRunFromThePostgresRegistry()
    {
        var graph = new ClusterGraph<int, int>(Cluster.Client, TestGraphs.Gated, new ClusterGraphOptions { PollInterval = TimeSpan.FromSeconds(1) });
        var thread = Guid.NewGuid().ToString("N");
        var run = graph.RunAsync(0, new RunOptions { ThreadId = thread });
        await Wait.For(TestGraphs.GateOf(thread).Entered, "the run holds at the gate");
        var host = Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == TestGraphs.HostOf(thread));

        await Wait.For(Cluster.KillSiloAsync(host), "the silo is killed");
        var result = await Wait.For(run, "the run finishes on the survivor");

        Assert.Multiple(() =>
        {
            Assert.That(result.State, Is.EqualTo(111));
            Assert.That(TestGraphs.HostOf(thread), Is.Not.EqualTo(host.SiloAddress.ToParsableString()));
            Assert.That(TestGraphs.Runs(thread, "before"), Is.EqualTo(1));
            Assert.That(TestGraphs.Runs(thread, "after"), Is.EqualTo(1));
        });
    }
}
