namespace Graph.Cli.Tests.Commands;

/// <summary>Inspection commands on files that are not checkpoint databases: one line, a distinct exit code, and the file as it was.</summary>
public class StoreErrorTests
{
    private static readonly string[][] Commands =
    [
        ["threads"],
        ["history", "--thread", "t1"],
        ["state", "--thread", "t1"],
        ["resume", "--thread", "t1", "--value", "yes"],
    ];

    private TempFolder folder = null!;

    private static IEnumerable<TestCaseData> EachCommand() =>
        Commands.Select(args => new TestCaseData((object)args).SetArgDisplayNames(args[0]));

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public void TearDown() => folder.Dispose();

    [TestCaseSource(nameof(EachCommand))]
    public async Task MissingFile_IsAFileErrorAndCreatesNothing(string[] args)
    {
        var missing = folder.File("missing.db");

        var run = await CliRun.RunAsync([.. args, "--db", missing]);

        CliAssert.OneLineError(run, ExitCodes.FileError, "not found");
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [TestCaseSource(nameof(EachCommand))]
    public async Task CorruptFile_IsAStoreErrorAndLeavesItUntouched(string[] args)
    {
        var corrupt = folder.File("corrupt.db");
        byte[] bytes = [.. "SQLite format 3\0"u8.ToArray(), .. Enumerable.Range(0, 2000).Select(i => (byte)(i * 13))];
        await File.WriteAllBytesAsync(corrupt, bytes);

        var run = await CliRun.RunAsync([.. args, "--db", corrupt]);

        CliAssert.OneLineError(run, ExitCodes.StoreError, "corrupt.db");
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(corrupt), Is.EqualTo(bytes));
            Assert.That(Directory.GetFiles(folder.Path), Has.Length.EqualTo(1), "no side files");
        });
    }

    [TestCaseSource(nameof(EachCommand))]
    public async Task TextFile_IsAStoreErrorAndLeavesItUntouched(string[] args)
    {
        var text = folder.File("notes.txt");
        await File.WriteAllTextAsync(text, "not a database\n");

        var run = await CliRun.RunAsync([.. args, "--db", text]);

        CliAssert.OneLineError(run, ExitCodes.StoreError, "notes.txt");
        var after = await File.ReadAllTextAsync(text);
        Assert.Multiple(() =>
        {
            Assert.That(run.Error, Does.Contain("is not a readable Graph checkpoint store (SQLite error 26: file is not a database); it was left untouched."));
            Assert.That(run.Error, Does.Not.Contain("SQLite Error 26"), "the SQLite prefix once");
            Assert.That(after, Is.EqualTo("not a database\n"));
        });
    }

    [TestCaseSource(nameof(EachCommand))]
    public async Task Directory_IsAFileErrorSayingItIsADirectory(string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--db", folder.Path]);

        CliAssert.OneLineError(run, ExitCodes.FileError, "is a directory, not a checkpoint file");
        Assert.That(run.Error, Does.Not.Contain("not found"));
    }

    [TestCaseSource(nameof(EachCommand))]
    public async Task EmptyFile_IsAStoreErrorAndStaysEmpty(string[] args)
    {
        var empty = folder.File("empty.db");
        await File.WriteAllBytesAsync(empty, []);

        var run = await CliRun.RunAsync([.. args, "--db", empty]);

        CliAssert.OneLineError(run, ExitCodes.StoreError, "is empty");
        Assert.That(new FileInfo(empty).Length, Is.Zero);
    }
}
