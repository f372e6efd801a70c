using Graph.Cli.Demo;
using Graph.Engine.Checkpoints;
using Graph.Engine.Sqlite;

namespace Graph.Cli.Tests.Commands;

public class DemoCommandTests
{
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task Demo_FreshDatabase_RunsEndToEndAndLeavesAFinishedThreadWithHistory()
    {
        var db = folder.File("demo.db");

        var run = await CliRun.RunAsync("demo", "--db", db, "--thread", "t1");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("step 2 done: count x4"), "Send fan-out: one count task per document");
            Assert.That(run.Out, Does.Contain("step 3 done: lookup, total"), "two nodes in one parallel step");
            Assert.That(run.Out, Does.Contain("lookup   attempt 1 failed on instance #1: language service unavailable"));
            Assert.That(run.Out, Does.Contain("lookup   attempt 2 succeeded on instance #1: recovered"));
            Assert.That(run.Out, Does.Contain("interrupted at step 4: review asks \"Publish the report on 4 documents (89 words, English)? yes/no\""));
            Assert.That(run.Out, Does.Contain("answering \"yes\" automatically"));
            Assert.That(run.Out, Does.Contain("report     89 words in 4 documents (English): The Raven 21, Ozymandias 21, The Tyger 20, Daffodils 27"));
            Assert.That(run.Out, Does.Contain("flowchart TD"));
            Assert.That(run.Out, Does.Contain("total ==> review"), "the join in the Mermaid diagram");
            Assert.That(run.Out, Does.Contain("thread     t1"));
            Assert.That(run.Out, Does.Contain($"database   {Path.GetFullPath(db)}"));
            Assert.That(run.Out, Does.Contain($"graph history --db {Path.GetFullPath(db)} --thread t1"));
            Assert.That(run.Out.IndexOf('\u001b', StringComparison.Ordinal), Is.EqualTo(-1), () => $"plain text when the console is not a terminal: {Escapes(run.Out)}");
        });

        await using var store = SqliteCheckpointer.Open(db);
        var history = await store.ListAsync("t1");
        Assert.Multiple(() =>
        {
            Assert.That(history, Has.Count.EqualTo(6));
            Assert.That(history[^1].Metadata.Source, Is.EqualTo(CheckpointSource.Input));
            Assert.That(history[0].NextTasks, Is.Empty, "finished");
            Assert.That(history[0].StateType, Is.EqualTo(DemoGraph.StateTypeName));
            Assert.That(history.Select(c => c.Metadata.Writers.FirstOrDefault()), Does.Contain(DemoGraph.Publish));
        });
    }

    private static string Escapes(string text)
    {
        var i = text.IndexOf('\u001b', StringComparison.Ordinal);
        return i < 0 ? string.Empty : text.Substring(Math.Max(0, i - 20), Math.Min(40, text.Length - Math.Max(0, i - 20))).Replace("\u001b", "<ESC>", StringComparison.Ordinal);
    }

    [Test]
    public async Task Demo_NoThread_GeneratesADemoThreadIdAndPrintsIt()
    {
        var db = folder.File("demo.db");

        var run = await CliRun.RunAsync("demo", "--db", db);

        CliAssert.Ok(run);
        await using var store = SqliteCheckpointer.Open(db);
        var threads = await store.ListThreadsAsync();
        Assert.That(threads, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(threads[0], Does.StartWith("demo-"));
            Assert.That(run.Out, Does.Contain($"thread     {threads[0]}"));
        });
    }

    [Test]
    public async Task Demo_OnATerminal_ShowsLiveProgressAndTheSameResult()
    {
        var run = await CliRun.RunAsync(terminal: true, "demo", "--db", folder.File("demo.db"), "--thread", "live");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("step 2: count x4"), "a progress bar per step");
            Assert.That(run.Out, Does.Contain("89 words in 4 documents (English)"));
            Assert.That(run.Out, Does.Contain("flowchart TD"));
        });
    }

    [Test]
    public async Task Demo_OnANarrowTerminal_CutsEventLinesToTheWidthInsteadOfWrappingThem()
    {
        const int Width = 60;

        var run = await CliRun.RunAsync(terminal: true, Width, "demo", "--db", folder.File("demo.db"), "--thread", "narrow");

        CliAssert.Ok(run);
        var start = run.Out.IndexOf("narrow", StringComparison.Ordinal);
        var live = VisibleLines(run.Out[start..run.Out.IndexOf("run finished", start, StringComparison.Ordinal)])[1..];
        Assert.Multiple(() =>
        {
            Assert.That(live.Where(l => l.Length >= Width), Is.Empty, "every row of the live display is narrower than the console");
            Assert.That(live.Where(l => l.Contains("attempt 1 failed", StringComparison.Ordinal)).Distinct(), Has.All.EndsWith("…"), "the retry line is cut, not wrapped");
            Assert.That(string.Join('\n', live), Does.Not.Contain("retrying (RetryPolicy"), "no wrapped continuation of a long line");
            Assert.That(live, Has.Some.StartsWith("step 2: count x4"), "the progress bars are still drawn");
        });
    }

    [Test]
    public async Task Demo_DatabaseIsADirectory_IsAFileErrorSayingSo()
    {
        var run = await CliRun.RunAsync("demo", "--db", folder.Path);

        CliAssert.OneLineError(run, ExitCodes.FileError, "is a directory, not a checkpoint file");
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty, "nothing created");
    }

    [Test]
    public async Task Demo_AnswerNo_Discards()
    {
        var run = await CliRun.RunAsync("demo", "--db", folder.File("demo.db"), "--answer", "no");

        CliAssert.Ok(run);
        Assert.That(run.Out, Does.Contain("report     not published (the reviewer answered 'no')"));
    }

    [Test]
    public async Task Demo_NoResume_StopsAtTheInterruptAndSaysHowToAnswer()
    {
        var db = folder.File("demo.db");

        var run = await CliRun.RunAsync("demo", "--db", db, "--thread", "w", "--no-resume");

        CliAssert.Ok(run);
        Assert.Multiple(() =>
        {
            Assert.That(run.Out, Does.Contain("waiting    review asks \"Publish the report"));
            Assert.That(run.Out, Does.Contain($"graph resume  --db {Path.GetFullPath(db)} --thread w --value yes"));
            Assert.That(run.Out, Does.Not.Contain("answering"));
        });
    }

    [Test]
    public async Task Demo_ExistingThread_IsAUsageErrorAndWritesNothing()
    {
        var db = folder.File("demo.db");
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", db, "--thread", "t1"));
        var before = await File.ReadAllBytesAsync(db);

        var run = await CliRun.RunAsync("demo", "--db", db, "--thread", "t1");

        CliAssert.OneLineError(run, ExitCodes.Usage, "already exists");
        Assert.That(await File.ReadAllBytesAsync(db), Is.EqualTo(before));
    }

    [Test]
    public async Task Demo_FolderMissing_IsAFileError()
    {
        var run = await CliRun.RunAsync("demo", "--db", Path.Combine(folder.Path, "no-such-folder", "demo.db"));

        CliAssert.OneLineError(run, ExitCodes.FileError, "not found");
    }

    [Test]
    public async Task Demo_CorruptFile_IsAStoreErrorAndLeavesTheFileUntouched()
    {
        var db = folder.File("corrupt.db");
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(db, bytes);

        var run = await CliRun.RunAsync("demo", "--db", db);

        CliAssert.OneLineError(run, ExitCodes.StoreError, "untouched");
        Assert.That(await File.ReadAllBytesAsync(db), Is.EqualTo(bytes));
    }

    /// <summary>The text rows a terminal would show: escape sequences removed, each row after its last carriage return.</summary>
    private static List<string> VisibleLines(string output) =>
        [.. System.Text.RegularExpressions.Regex.Replace(output, "\u001b\\[[0-9;?]*[A-Za-z]", string.Empty)
            .Split('\n')
            .Select(l => l[(l.LastIndexOf('\r') + 1)..].TrimEnd())
            .Where(l => l.Length > 0)];
}
