using System.Net;
using System.Net.Sockets;
using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Graph.Engine.Orleans.Tests;

/// <summary>
/// Two standalone silo processes (TCP on loopback, membership and checkpoints in PostgreSQL): the silo
/// hosting a run is SIGKILLed inside a step, and the run finishes on the survivor.
/// </summary>
[TestFixture]
public sealed class OutOfProcessFailoverTests
{
    private const string Held = "n4";

    [Test]
    public async Task RunAsync_HostingSiloSigkilledMidStep_FinishesOnTheSurvivorAsAnUninterruptedRun()
    {
        var pg = PostgresServer.Require();
        var folder = Directory.CreateTempSubdirectory("graph-orleans-oop.").FullName;
        var cluster = "oop-" + Guid.NewGuid().ToString("N")[..8];
        var effects = folder;
        string[] Args() =>
        [
            "--pg", pg, "--cluster", cluster, "--effects", effects,
            "--silo-port", FreePort(), "--gateway-port", FreePort(), "--hold-at", Held,
        ];

        try
        {
            await using var first = SiloHost.Start(Args());
            await using var second = SiloHost.Start(Args());
            // Two processes start a runtime and join over PostgreSQL: slow on a loaded 2-core CI machine.
            var both = Task.WhenAll(first.Ready, second.Ready);
            await Wait.For(both, "both silos are active", TimeSpan.FromMinutes(3));
            var addresses = await both;

            using var client = new HostBuilder()
                .UseOrleansClient(c => c.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = cluster;
                        o.ServiceId = "graph-cluster-demo";
                    })
                    .UsePostgresClustering(pg))
                .Build();
            await Wait.For(client.StartAsync(), "the client connects");
            var graph = new ClusterGraph<int, int>(client.Services.GetRequiredService<IClusterClient>(), "chain10", new ClusterGraphOptions { PollInterval = TimeSpan.FromSeconds(1) });
            var thread = "t-" + Guid.NewGuid().ToString("N")[..8];

            var run = graph.RunAsync(0, new RunOptions { ThreadId = thread });
            var holder = await Wait.For(Task.WhenAny(first.Held, second.Held), "a silo holds the run inside " + Held);
            var (killed, survivor) = holder == first.Held ? (first, addresses[1]) : (second, addresses[0]);
            var killedAddress = killed == first ? addresses[0] : addresses[1];
            killed.Kill();
            var result = await Wait.For(run, "the run finishes on the survivor");
            await client.StopAsync();

            // One append-only log per silo process; merged in time order.
            var lines = Directory.GetFiles(folder, "effects.*.log").SelectMany(File.ReadAllLines)
                .Select(l => l.Split(' ')).Where(p => p[0] == thread).OrderBy(p => long.Parse(p[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            int Runs(string node) => lines.Count(p => p[1] == node);
            TestContext.Out.WriteLine("effects (thread node silo time):\n" + string.Join("\n", lines.Select(p => string.Join(' ', p))));
            Assert.Multiple(() =>
            {
                Assert.That(result.Status, Is.EqualTo(GraphRunStatus.Completed));
                Assert.That(result.State, Is.EqualTo(55), "chain10's state after an uninterrupted run");
                Assert.That(new[] { "n1", "n2", "n3" }.Select(Runs), Is.All.EqualTo(1), "checkpointed nodes ran once");
                Assert.That(lines.Where(p => p[1] == Held).Select(p => p[2]), Is.EqualTo(new[] { killedAddress, survivor }), "the node in flight ran again, on the survivor");
                Assert.That(Enumerable.Range(5, 6).Select(k => Runs("n" + k)), Is.All.EqualTo(1));
                Assert.That(lines.Where(p => int.Parse(p[1][1..], System.Globalization.CultureInfo.InvariantCulture) > 4).Select(p => p[2]), Is.All.EqualTo(survivor));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
