using Graph.Cli.Cluster;

namespace Graph.Cli.Tests.Commands;

public class ClusterDemoCommandTests
{
    private static readonly DateTimeOffset Kill = new(2026, 1, 1, 0, 0, 10, TimeSpan.Zero);
    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    [TestCase("--threads", "1")]
    [TestCase("--step-ms", "5")]
    [TestCase("--throughput", "3")]
    public async Task ClusterDemo_BadNumber_WritesOneLineUsageErrorBeforeStartingAnything(string option, string value)
    {
        var run = await CliRun.RunAsync("cluster-demo", option, value);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(run.Error, Does.Contain(option));
        });
    }

    [TestCase("--scale")]
    [TestCase("--soak")]
    public async Task Bench_ClusterWithAnotherMode_IsAUsageErrorBeforeStartingAnything(string other)
    {
        var run = await CliRun.RunAsync("bench", "--cluster", other);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.Error, Does.Contain("--cluster is a separate mode"));
            Assert.That(run.Out, Does.Not.Contain("PostgreSQL"));
        });
    }

    [Test]
    public void Analyse_InFlightNodeRunAgainOnTheSurvivor_CountsItAsAtLeastOnceAndMeasuresTheFailover()
    {
        var effects = new[]
        {
            new Effect("t1", "n1", "A", Kill.AddSeconds(-2)),
            new Effect("t1", "n2", "A", Kill.AddSeconds(-1)),
            new Effect("t1", "n2", "B", Kill.AddSeconds(4)),
            new Effect("t1", "n3", "B", Kill.AddSeconds(5)),
            new Effect("t2", "n1", "B", Kill.AddSeconds(-1)),
            new Effect("t2", "n2", "B", Kill.AddSeconds(1)),
            new Effect("t2", "n3", "B", Kill.AddSeconds(2)),
        };

        var report = FailoverReport.Analyse(effects, ["t1", "t2"], Nodes, "A", Kill);

        Assert.Multiple(() =>
        {
            Assert.That(report.ThreadsOnKilledSilo, Is.EqualTo(1));
            Assert.That(report.FirstFailover, Is.EqualTo(TimeSpan.FromSeconds(4)));
            Assert.That(report.InFlightRerun, Is.EqualTo(1));
            Assert.That(report.Duplicates, Is.Empty);
            Assert.That(report.Missing, Is.Empty);
        });
    }

    [Test]
    public void Analyse_CheckpointedNodeRunTwiceAndAStepMissing_ReportsBoth()
    {
        var effects = new[]
        {
            new Effect("t1", "n1", "A", Kill.AddSeconds(-2)),
            new Effect("t1", "n2", "A", Kill.AddSeconds(-1)),
            new Effect("t1", "n1", "B", Kill.AddSeconds(3)),
            new Effect("t1", "n2", "B", Kill.AddSeconds(4)),
        };

        var report = FailoverReport.Analyse(effects, ["t1"], Nodes, "A", Kill);

        Assert.Multiple(() =>
        {
            Assert.That(report.Duplicates, Is.EqualTo(new[] { "t1/n1 x2" }), "n1 was checkpointed before n2 started");
            Assert.That(report.Missing, Is.EqualTo(new[] { "t1/n3" }));
            Assert.That(report.InFlightRerun, Is.EqualTo(1), "n2 was in flight at the kill");
        });
    }
}
