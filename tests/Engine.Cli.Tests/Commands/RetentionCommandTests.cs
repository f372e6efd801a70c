using Graph.Engine.Sqlite;

namespace Graph.Cli.Tests.Commands;

/// <summary>prune and compact against a database the demo wrote (thread "done": 6 checkpoints; "waiting": 4).</summary>
public class RetentionCommandTests
{
    private TempFolder folder = null!;
    private string db = null!;

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        db = folder.File("demo.db");
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", db, "--thread", "done"));
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", db, "--thread", "waiting", "--no-resume"));
    }

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task Prune_DryRun_CountsAndDeletesNothing()
    {
        var bytes = await File.ReadAllBytesAsync(db);

        var run = await CliRun.RunAsync("prune", "--db", db, "--keep", "1", "--dry-run");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("would delete 8 checkpoint(s) of 2 thread(s)"));
        Assert.That(await File.ReadAllBytesAsync(db), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Prune_Keep_KeepsTheNewestAndTheWaitingThreadStillResumes()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--keep", "2");
        var history = await CliRun.RunAsync("history", "--db", db, "--thread", "waiting");
        var resume = await CliRun.RunAsync("resume", "--db", db, "--thread", "waiting", "--value", "yes");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("deleted 6 checkpoint(s) of 2 thread(s)").And.Contain("graph compact"));
        CliAssert.Ok(history);
        CliAssert.Ok(resume);
    }

    [Test]
    public async Task Prune_MaxBytesOfOne_KeepsOnlyEachThreadsLatestAndTheWaitingThreadStillResumes()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--max-bytes", "1");
        var resume = await CliRun.RunAsync("resume", "--db", db, "--thread", "waiting", "--value", "yes");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("deleted 8 checkpoint(s) of 2 thread(s)"));
        CliAssert.Ok(resume);
    }

    [Test]
    public async Task Prune_MaxBytesOfAGigabyte_DeletesNothing()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--max-bytes", "1g");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("deleted 0 checkpoint(s) of 2 thread(s)"));
    }

    [Test]
    public async Task Prune_BadSize_NamesTheFormat()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--max-bytes", "10x");

        CliAssert.OneLineError(run, ExitCodes.Usage, "--max-bytes must be a positive number of bytes, optionally followed by k, m or g (such as 64m), not '10x'.");
    }

    [Test]
    public async Task Prune_OlderThanAHundredWeeks_DeletesNothingFromFreshThreads()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--older-than", "100w", "--idle", "100w");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("deleted 0 checkpoint(s) of 2 thread(s)").And.Not.Contain("idle threads"));
    }

    [Test]
    public async Task Prune_WithoutLimits_IsAUsageError()
    {
        var run = await CliRun.RunAsync("prune", "--db", db);

        CliAssert.OneLineError(run, ExitCodes.Usage, "prune needs at least one of --keep, --max-bytes, --older-than and --idle.");
    }

    [Test]
    public async Task Prune_BadAge_NamesTheFormat()
    {
        var run = await CliRun.RunAsync("prune", "--db", db, "--older-than", "7x");

        CliAssert.OneLineError(run, ExitCodes.Usage, "--older-than must be a positive number followed by s, m, h, d or w (such as 7d), not '7x'.");
    }

    [Test]
    public async Task Compact_AfterPrune_ShrinksTheFileAndKeepsItConsistent()
    {
        CliAssert.Ok(await CliRun.RunAsync("prune", "--db", db, "--keep", "1"));

        var run = await CliRun.RunAsync("compact", "--db", db);

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("compacted").And.Contain("no dangling or leaked"));
        await using var store = SqliteCheckpointer.Open(db);
        Assert.That((await store.CheckConsistencyAsync()).IsConsistent, Is.True);
    }
}
