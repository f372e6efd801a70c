namespace Graph.Cli.Tests;

public class ProgramTests
{
    private static void AssertOneLineError(CliRun run, int exitCode, string fragment)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Error);
            Assert.That(run.ErrorLines, Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.StartWith("graph: "));
            Assert.That(run.Error, Does.Contain(fragment).IgnoreCase);
            Assert.That(run.Error + run.Out, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(run.Error + run.Out, Does.Not.Contain("Exception:"), "no exception dump");
        });
    }

    [Test]
    public async Task RunAsync_UnknownCommand_WritesOneLineUsageError()
    {
        var run = await CliRun.RunAsync("frobnicate");

        AssertOneLineError(run, ExitCodes.Usage, "frobnicate");
    }

    [Test]
    public async Task RunAsync_NoCommand_WritesOneLineUsageError()
    {
        var run = await CliRun.RunAsync();

        AssertOneLineError(run, ExitCodes.Usage, "graph --help");
    }

    [Test]
    public async Task RunAsync_UnknownOption_WritesOneLineUsageError()
    {
        var run = await CliRun.RunAsync("bench", "--fast");

        AssertOneLineError(run, ExitCodes.Usage, "--fast");
    }

    [TestCase("threads")]
    [TestCase("history", "--thread", "t1")]
    [TestCase("state", "--thread", "t1")]
    [TestCase("resume", "--thread", "t1")]
    public async Task RunAsync_InspectionCommandWithoutDb_WritesOneLineUsageError(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        AssertOneLineError(run, ExitCodes.Usage, "Option '--db' is required.");
    }

    [Test]
    public async Task RunAsync_HistoryWithoutThread_WritesOneLineUsageError()
    {
        var run = await CliRun.RunAsync("history", "--db", "x.db");

        AssertOneLineError(run, ExitCodes.Usage, "Option '--thread' is required.");
    }

    [TestCase("history --tread t1 --db x.db", "Unrecognized option '--tread'. Did you mean '--thread'?")]
    [TestCase("history --thread t1 --bd x.db", "Unrecognized option '--bd'. Did you mean '--db'?")]
    [TestCase("bench --quik", "Unrecognized option '--quik'. Did you mean '--quick'?")]
    [TestCase("histroy --db x.db", "Unrecognized command 'histroy'. Did you mean 'history'?")]
    public async Task RunAsync_MistypedName_SuggestsTheClosestOne(string line, string expected)
    {
        var run = await CliRun.RunAsync(line.Split(' '));

        AssertOneLineError(run, ExitCodes.Usage, expected);
    }

    [Test]
    public async Task RunAsync_UnknownOptionFarFromEveryName_SuggestsNothing()
    {
        var run = await CliRun.RunAsync("bench", "--fast");

        AssertOneLineError(run, ExitCodes.Usage, "Unrecognized option '--fast'. Try 'graph bench --help'.");
    }

    [Test]
    public async Task RunAsync_MissingRequiredOptions_NamesEachOne()
    {
        var run = await CliRun.RunAsync("history");

        AssertOneLineError(run, ExitCodes.Usage, "Option '--db' is required. Option '--thread' is required. Try 'graph history --help'.");
    }

    [Test]
    public async Task RunAsync_MistypedRequiredOption_SuggestsItAndSaysItIsRequired()
    {
        var run = await CliRun.RunAsync("state", "--db", "x.db", "--threa", "t1");

        AssertOneLineError(run, ExitCodes.Usage, "Unrecognized option '--threa'. Did you mean '--thread'? Option '--thread' is required.");
        Assert.That(run.Error, Does.Not.Contain("'t1'"), "the mistyped option's value is not reported as a second error");
    }

    [TestCase("threads")]
    [TestCase("history", "--thread", "t1")]
    [TestCase("state", "--thread", "t1", "--checkpoint", "1")]
    [TestCase("resume", "--thread", "t1", "--value", "yes")]
    public async Task RunAsync_InspectionCommandWithMissingDbFile_WritesOneLineFileError(params string[] args)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"graph-missing-{Guid.NewGuid():N}.db");

        var run = await CliRun.RunAsync([.. args, "--db", missing]);

        AssertOneLineError(run, ExitCodes.FileError, "not found");
        Assert.That(File.Exists(missing), Is.False, "an inspection command never creates the file");
    }

    [Test]
    public async Task RunAsync_Help_ListsEveryCommandAndSucceeds()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok));
            Assert.That(run.Error, Is.Empty);
            foreach (var command in new[] { "bench", "demo", "threads", "history", "state", "resume" })
            {
                Assert.That(run.Out, Does.Contain(command));
            }
        });
    }

    [Test]
    public void ExitCodes_AreDistinct()
    {
        int[] codes = [ExitCodes.Ok, ExitCodes.Failure, ExitCodes.Usage, ExitCodes.FileError, ExitCodes.NotAvailable, ExitCodes.StoreError, ExitCodes.NotFound, ExitCodes.Unsupported, ExitCodes.Cancelled];

        Assert.That(codes, Is.Unique);
    }
}
