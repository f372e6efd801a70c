using System.Text.Json;
using Graph.Engine.Workloads;
using Graph.Engine.Workloads.Peers;

namespace Graph.Cli.Tests.Commands;

public class BenchPeerTests
{
    [Test]
    public async Task RunAsync_PingPongJson_HasEachPeerWithFiguresAndRatio()
    {
        var json = Path.Combine(Path.GetTempPath(), $"graph-bench-{Guid.NewGuid():N}.json");
        try
        {
            var run = await CliRun.RunAsync(["bench", "--quick", "--iterations", "2", "--batches", "1", "--filter", WorkloadNames.PingPong, "--json", json]);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Error);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var baselines = document.RootElement.GetProperty(WorkloadNames.PingPong).GetProperty("baselines");
            Assert.Multiple(() =>
            {
                foreach (var peer in new[] { PeerNames.AkkaNet, PeerNames.ProtoActor })
                {
                    Assert.That(baselines.TryGetProperty(peer, out var figures), Is.True, peer);
                    Assert.That(figures.GetProperty("us_per_run").GetDouble(), Is.GreaterThan(0), peer);
                    Assert.That(figures.GetProperty("ratio").GetDouble(), Is.GreaterThan(0), peer);
                }

                Assert.That(run.Out, Does.Contain(PeerNames.AkkaNet).And.Contain(PeerNames.ProtoActor));
            });
        }
        finally
        {
            File.Delete(json);
        }
    }
}
