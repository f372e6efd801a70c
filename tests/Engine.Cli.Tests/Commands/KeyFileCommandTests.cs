using System.Security.Cryptography;

namespace Graph.Cli.Tests.Commands;

/// <summary>
/// <c>--key-file</c>: the demo writes a store through a ProtectedCheckpointer, and threads, history, state, resume and
/// prune read it with the keys of a private file; a wrong key, an open or malformed file are one clear line.
/// </summary>
public class KeyFileCommandTests
{
    private const string Thread = "sealed";
    private TempFolder folder = null!;
    private string db = null!;
    private string keys = null!;

    [SetUp]
    public async Task WriteProtectedDemo()
    {
        folder = new TempFolder();
        db = folder.File("demo.db");
        keys = WriteKeyFile("keys", $"# demo keys\nold:{Key()}\n\ncurrent:{Key()}\n");
        CliAssert.Ok(await CliRun.RunAsync("demo", "--db", db, "--thread", Thread, "--no-resume", "--key-file", keys));
    }

    [TearDown]
    public void TearDown() => folder.Dispose();

    [Test]
    public async Task Commands_WithTheKeyFile_ReadResumeAndPruneTheProtectedStore()
    {
        var threads = await CliRun.RunAsync("threads", "--db", db, "--key-file", keys);
        var state = await CliRun.RunAsync("state", "--db", db, "--thread", Thread, "--key-file", keys);
        var history = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", keys);
        var resume = await CliRun.RunAsync("resume", "--db", db, "--thread", Thread, "--value", "yes", "--key-file", keys);
        var prune = await CliRun.RunAsync("prune", "--db", db, "--keep", "1", "--key-file", keys);
        var after = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", keys);

        foreach (var run in new[] { threads, state, history, resume, prune, after })
        {
            CliAssert.Ok(run);
        }

        Assert.Multiple(() =>
        {
            Assert.That(threads.Out, Does.Contain("interrupted at review"));
            Assert.That(state.Out, Does.Contain("status     interrupted at review"));
            Assert.That(history.Out, Does.Contain("4 checkpoint(s)"));
            Assert.That(resume.Out, Does.Contain("review   decision 'yes'"));
            Assert.That(prune.Out, Does.Contain("deleted"));
            Assert.That(after.Out, Does.Contain("1 checkpoint(s)"));
        });
    }

    [Test]
    public async Task State_KeyFileWithoutTheSealingKey_FailsNamingTheKeyId()
    {
        var other = WriteKeyFile("other", $"another:{Key()}\n");

        var run = await CliRun.RunAsync("state", "--db", db, "--thread", Thread, "--key-file", other);

        CliAssert.OneLineError(run, ExitCodes.StoreError, "'current'");
    }

    [Test]
    public async Task History_KeyFileOpenToOtherUsers_IsRefusedBeforeTheStoreIsRead()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", keys);

        CliAssert.OneLineError(run, ExitCodes.FileError, "chmod 600");
    }

    [Test]
    public async Task History_KeyFileMissingShortOrMalformed_IsOneLineNamingTheProblemAndNoKeyBytes()
    {
        var shortKey = Convert.ToBase64String(new byte[16]);
        var malformed = WriteKeyFile("malformed", $"good:{Key()}\nno separator here\n");
        var tooShort = WriteKeyFile("short", $"tiny:{shortKey}\n");
        var empty = WriteKeyFile("empty", "# nothing\n");

        var missing = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", folder.File("none"));
        var badLine = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", malformed);
        var small = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", tooShort);
        var none = await CliRun.RunAsync("history", "--db", db, "--thread", Thread, "--key-file", empty);

        CliAssert.OneLineError(missing, ExitCodes.FileError, "does not exist");
        CliAssert.OneLineError(badLine, ExitCodes.Usage, "line 2 is not 'ID:BASE64'");
        CliAssert.OneLineError(small, ExitCodes.Usage, "16-byte key");
        CliAssert.OneLineError(none, ExitCodes.Usage, "holds no key");
        Assert.That(small.Error, Does.Not.Contain(shortKey));
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private string WriteKeyFile(string name, string text)
    {
        var path = folder.File(name);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
