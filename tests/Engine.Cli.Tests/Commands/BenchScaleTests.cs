using Graph.Engine.Workloads.Scale;

namespace Graph.Cli.Tests.Commands;

public class BenchScaleTests
{
    [Test]
    public async Task RunAsync_ScaleWithOneIteration_PrintsEveryRoundEveryLevelAndTheInFlightWeight()
    {
        var run = await CliRun.RunAsync(["bench", "--scale", "--iterations", "1", "--batches", "1"]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.Out + run.Error);
        Assert.Multiple(() =>
        {
            foreach (var level in new[] { "10", "100", "1,000", "10,000" })
            {
                Assert.That(run.Out, Does.Match($@"\n\s+{level} concurrent  engine\s+[\d,]+ runs/s"), run.Out);
            }

            for (var round = 1; round <= ChainScale.Rounds; round++)
            {
                Assert.That(run.Out, Does.Match($@"round {round}:\s+10,000 concurrent  engine"), run.Out);
            }

            Assert.That(run.Out, Does.Contain("the 1,000 figure"));
            Assert.That(run.Out, Does.Match(@"in flight\s+[\d,]+ B per run at 10,000"));
        });
    }

    [Test]
    public async Task RunAsync_ScaleWithSoak_IsAUsageError()
    {
        var run = await CliRun.RunAsync(["bench", "--scale", "--soak"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(run.Error, Does.Contain("--soak and --scale are separate modes"));
        });
    }

    [Test]
    public async Task InFlightBytesPerRunAsync_ManyParkedRuns_WeighsThemAndLetsThemFinish()
    {
        var bytes = await ChainScale.InFlightBytesPerRunAsync(1_000).WaitAsync(TimeSpan.FromSeconds(30));

        // A parked run holds at least its run object and completion; far less than a kilobyte per run of buffers.
        Assert.That(bytes, Is.InRange(50, 4_096));
    }

    [Test]
    public async Task InFlightBytesPerRunAsync_ZeroRuns_ThrowsNamingTheCount()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ChainScale.InFlightBytesPerRunAsync(0));

        Assert.That(ex!.ParamName, Is.EqualTo("runs"));
    }
}
