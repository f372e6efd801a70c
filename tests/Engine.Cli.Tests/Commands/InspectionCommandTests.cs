using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;

namespace Graph.Cli.Tests.Commands;

/// <summary>
/// threads, history, state and resume against a database the demo wrote once for the fixture (thread "done":
/// finished; thread "waiting": stopped at the review interrupt). Every test works on its own copy.
/// </summary>
public class InspectionCommandTests
{
    private const string Done = "done";
    private const string Waiting = "waiting";
    private TempFolder template = null!;
    private TempFolder folder = null!;
    private string db = null!;

    [OneTimeSetUp]
    public async Task CreateTemplate()
    {
        template = new TempFolder();
        var path = template.File("demo.db");
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", path, "--thread", Done));
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", path, "--thread", Waiting, "--no-resume"));
    }

    [OneTimeTearDown]
    public void DeleteTemplate() => template.Dispose();

    [SetUp]
    public void SetUp()
    {
        folder = new TempFolder();
        folder.CopyFrom(template);
        db = folder.File("demo.db");
    }

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task Threads_ListsEveryThreadWithItsLatestCheckpointAndStatus()
    {
        var run = await CliRun.RunAsync("threads", "--db", db);

        CliAssert.Ok(run);
        var lines = run.Out.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines.Single(l => l.Contains($" {Done} ", StringComparison.Ordinal)), Does.Match(@"done\s+6\s+\d+\s+finished\s+Graph\.Cli\.Demo\.DemoState\s+\d{4}-\d\d-\d\d "));
            Assert.That(lines.Single(l => l.Contains($" {Waiting} ", StringComparison.Ordinal)), Does.Match(@"waiting\s+4\s+3\s+interrupted at review\s+Graph\.Cli\.Demo\.DemoState"));
            Assert.That(run.Out, Does.Contain("2 thread(s)"));
        });
    }

    [Test]
    public async Task Threads_EmptyStore_SaysSo()
    {
        var empty = folder.File("empty.db");
        await SqliteCheckpointer.Open(empty).DisposeAsync();

        var run = await CliRun.RunAsync("threads", "--db", empty);

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("no threads in"));
    }

    [Test]
    public async Task History_ListsCheckpointsNewestFirstWithParentsSourcesAndWriters()
    {
        var run = await CliRun.RunAsync("history", "--db", db, "--thread", Done);

        CliAssert.Ok(run);
        var rows = run.Out.Split('\n').Select(l => l.Trim()).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s+(\d+|-)\s")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(6));
            Assert.That(rows[0], Does.Match(@"^6\s+5\s+\d+\s+loop\s+publish\s+-\s+\d{4}-"));
            Assert.That(rows[3], Does.Match(@"^3\s+2\s+2\s+loop\s+count x4\s+lookup, total\s"));
            Assert.That(rows[5], Does.Match(@"^1\s+-\s+0\s+input\s+-\s+plan\s"));
            Assert.That(run.Out, Does.Contain("6 checkpoint(s), newest first; latest: finished"));
        });
    }

    [Test]
    public async Task History_Limit_ShowsOnlyTheNewest()
    {
        var run = await CliRun.RunAsync("history", "--db", db, "--thread", Done, "--limit", "2");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("2 checkpoint(s)"));
    }

    [Test]
    public async Task State_FinishedThread_ShowsTheStateAsJsonAndTheMetadata()
    {
        var run = await CliRun.RunAsync("state", "--db", db, "--thread", Done);

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("checkpoint 6 (parent 5)"));
            Assert.That(run.Out, Does.Contain("status     finished"));
            Assert.That(run.Out, Does.Contain("writers    publish"));
            Assert.That(run.Out, Does.Contain("metadata   run_id = "));
            Assert.That(run.Out, Does.Contain("\"TotalWords\": 89,"), "indented JSON");
            Assert.That(run.Out, Does.Contain("\"Report\": \"89 words in 4 documents (English): The Raven 21"));
        });
    }

    [Test]
    public async Task State_WaitingThread_ShowsNextNodeAndThePendingInterrupt()
    {
        var run = await CliRun.RunAsync("state", "--db", db, "--thread", Waiting);

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("status     interrupted at review"));
            Assert.That(run.Out, Does.Contain("next       review (4:0:review)"));
            Assert.That(run.Out, Does.Contain("pending interrupts"));
            Assert.That(run.Out, Does.Contain("review 4:0:review  \"Publish the report on 4 documents (89 words, English)? yes/no\" (interrupt 4:0:review#0)"));
            Assert.That(run.Out, Does.Contain("\"Decision\": null"));
        });
    }

    [Test]
    public async Task State_GivenCheckpoint_ShowsThatCheckpoint()
    {
        var run = await CliRun.RunAsync("state", "--db", db, "--thread", Done, "--checkpoint", "1");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("checkpoint 1 (first)"));
            Assert.That(run.Out, Does.Contain("source     input"));
            Assert.That(run.Out, Does.Contain("next       plan (1:0:plan)"));
        });
    }

    [Test]
    public async Task State_AnotherGraphsThread_ShowsItsRawJsonState()
    {
        await WriteIntThreadAsync(db, "ints");

        var run = await CliRun.RunAsync("state", "--db", db, "--thread", "ints");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("state type System.Int32"));
            Assert.That(run.Out, Does.Contain("writers    add"));
            Assert.That(run.Out, Does.Contain("state (JSON, 1 bytes)\n5"));
        });
    }

    [Test]
    public async Task Resume_WaitingThreadWithValue_FinishesTheRun()
    {
        var run = await CliRun.RunAsync("resume", "--db", db, "--thread", Waiting, "--value", "yes");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("resuming thread waiting from checkpoint 4 with \"yes\" for 4:0:review#0"));
            Assert.That(run.Out, Does.Contain("review   decision 'yes'"));
            Assert.That(run.Out, Does.Contain("report     89 words in 4 documents (English)"));
        });
        await using var store = SqliteCheckpointer.Open(db);
        var latest = await store.GetAsync(Waiting);
        Assert.That((latest!.Id, latest.NextTasks.Count), Is.EqualTo((6L, 0)));
    }

    [Test]
    public async Task Resume_WaitingThreadWithoutValue_IsAUsageErrorAndWritesNothing()
    {
        var before = await File.ReadAllBytesAsync(db);

        var run = await CliRun.RunAsync("resume", "--db", db, "--thread", Waiting);

        CliAssert.OneLineError(run, ExitCodes.Usage, "--value");
        Assert.That(run.Error, Does.Contain("review asks \"Publish the report"));
        Assert.That(await File.ReadAllBytesAsync(db), Is.EqualTo(before));
    }

    [TestCase]
    [TestCase("--value", "yes")]
    public async Task Resume_FinishedThread_IsUnsupportedAndWritesNothing(params string[] value)
    {
        var before = await File.ReadAllBytesAsync(db);

        var run = await CliRun.RunAsync(["resume", "--db", db, "--thread", Done, .. value]);

        CliAssert.OneLineError(run, ExitCodes.Unsupported, "thread 'done' has finished (checkpoint 6 plans no more tasks); there is nothing to resume. Start a new run with 'graph demo'");
        Assert.That(await File.ReadAllBytesAsync(db), Is.EqualTo(before));
    }

    [Test]
    public async Task Resume_AnotherGraphsThread_IsUnsupportedAndPointsToTheApi()
    {
        await WriteIntThreadAsync(db, "ints");

        var run = await CliRun.RunAsync("resume", "--db", db, "--thread", "ints");

        CliAssert.OneLineError(run, ExitCodes.Unsupported, "CompiledGraph.ResumeAsync");
    }

    [TestCase("history")]
    [TestCase("state")]
    [TestCase("resume")]
    public async Task UnknownThread_IsNotFound(string command)
    {
        var run = await CliRun.RunAsync(command, "--db", db, "--thread", "nope");

        CliAssert.OneLineError(run, ExitCodes.NotFound, "thread 'nope' not found");
    }

    [Test]
    public async Task State_UnknownCheckpoint_IsNotFound()
    {
        var run = await CliRun.RunAsync("state", "--db", db, "--thread", Done, "--checkpoint", "99");

        CliAssert.OneLineError(run, ExitCodes.NotFound, "has no checkpoint 99");
    }

    [TestCase("state", "--thread", "done", "--checkpoint", "abc")]
    [TestCase("state", "--thread", "done", "--checkpoint", "0")]
    [TestCase("history", "--thread", "done", "--limit", "0")]
    [TestCase("threads", "--thread", "done")]
    public async Task BadArguments_AreUsageErrors(params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--db", db]);

        CliAssert.OneLineError(run, ExitCodes.Usage, $"Try 'graph {args[0]} --help'.");
    }

    private static async Task WriteIntThreadAsync(string path, string thread)
    {
        await using var store = SqliteCheckpointer.Open(path);
        await using var graph = new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("add", _ => 2)
            .AddEdge(StateGraph.Start, "add")
            .AddEdge("add", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store });
        await graph.RunAsync(3, new RunOptions { ThreadId = thread });
    }
}
