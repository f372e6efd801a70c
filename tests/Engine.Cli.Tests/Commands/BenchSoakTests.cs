using Graph.Engine.Workloads.Soak;

namespace Graph.Cli.Tests.Commands;

public class BenchSoakTests
{
    [Test]
    public async Task RunAsync_SoakWithSmallCount_PrintsEveryMarkAndTheLeakChecks()
    {
        var run = await CliRun.RunAsync(["bench", "--soak", "--runs", "2000", "--in-flight", "50"]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Out + run.Error);
        var marks = run.Out.Split('\n').Count(line => line.Contains(" runs  heap ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(marks, Is.EqualTo(10), run.Out);
            Assert.That(run.Out, Does.Contain("2,000 runs  heap"));
            Assert.That(run.Out, Does.Contain("runs in flight  0 before, 0 after"));
            Assert.That(run.Out, Does.Match(@"actors\s+(\d+) before, \1 after"));
            Assert.That(run.Out, Does.Contain("leaks           none"));
        });
    }

    [Test]
    public async Task RunAsync_RunsWithoutSoak_IsAUsageError()
    {
        var run = await CliRun.RunAsync(["bench", "--runs", "5"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.Error, Does.Contain("--runs and --in-flight go with --soak"));
        });
    }

    [Test]
    public async Task RunAsync_SoakWithZeroInFlight_IsAUsageError()
    {
        var run = await CliRun.RunAsync(["bench", "--soak", "--in-flight", "0"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.Error, Does.Contain("--in-flight must be at least 1"));
        });
    }

    [Test]
    public async Task ChainSoak_MoreMarksThanRuns_ThrowsNamingBoth()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => ChainSoak.RunAsync(new SoakOptions(Runs: 3, InFlight: 1, Marks: 5)));

        Assert.That(ex!.Message, Does.Contain("3 runs").And.Contain("5 marks"));
    }

    [Test]
    public void SoakReport_HeapGrowthOverTenPercent_IsNotFlat()
    {
        var counts = new SoakCounts(11, 0, 0);
        var report = new SoakReport(
            new SoakOptions(Runs: 20, InFlight: 1, Marks: 2),
            [new SoakMark(10, 1_000_000, TimeSpan.FromSeconds(1)), new SoakMark(20, 1_150_000, TimeSpan.FromSeconds(2))],
            TimeSpan.FromSeconds(2),
            counts,
            counts with { Timers = 1 });

        Assert.Multiple(() =>
        {
            Assert.That(report.HeapGrowth, Is.EqualTo(0.15).Within(1e-9));
            Assert.That(report.HeapFlat, Is.False);
            Assert.That(report.NoLeaks, Is.False, "one more active timer is a leak");
            Assert.That(report.Passed, Is.False);
        });
    }
}
