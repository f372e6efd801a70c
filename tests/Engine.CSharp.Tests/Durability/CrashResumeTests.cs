using System.Diagnostics;
using Graph.Engine.Tests.Support;

namespace Graph.Engine.Tests.Durability;

/// <summary>
/// Kills a real process (tests/Engine.CrashHost) while a step is in flight and resumes the thread in a second process:
/// the result equals an uninterrupted run and no task that had finished runs twice.
/// </summary>
[NonParallelizable]
public class CrashResumeTests
{
    private readonly List<Process> processes = [];
    private string directory = null!;

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var p in processes)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(TimeSpan.FromSeconds(10));
            }

            p.Dispose();
        }

        processes.Clear(); // one fixture instance runs every test
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task ResumeAsync_AfterTheProcessWasKilledMidStep_FinishesWithoutRerunningFinishedTasks()
    {
        var db = Path.Combine(directory, "crash.db");
        var effects = Path.Combine(directory, "effects.txt");
        var gate = Path.Combine(directory, "gate");

        var crashing = Start("crash", db, "t", effects, gate);
        Assert.That(await crashing.StandardOutput.ReadLineAsync().WaitAsync(Wait.Timeout), Is.EqualTo("GATE"));
        Assert.That(File.Exists(gate), Is.True);
        crashing.Kill(entireProcessTree: true);
        await crashing.WaitForExitAsync().Bounded();

        var afterCrash = File.ReadAllLines(effects);
        var resumed = await RunToEndAsync(Start("resume", db, "t", effects, gate));
        var resumeEffects = File.ReadAllLines(effects).Skip(afterCrash.Length).ToArray();

        var plainEffects = Path.Combine(directory, "plain.txt");
        var plain = await RunToEndAsync(Start("plain", Path.Combine(directory, "plain.db"), "p", plainEffects, gate));

        Assert.That(resumed, Is.EqualTo(plain));
        Assert.That(plain, Is.EqualTo("RESULT a,fast1,fast2,slow,end(4)"));
        Assert.That(afterCrash.Order(StringComparer.Ordinal), Is.EqualTo(new[] { "a", "fast1", "fast2", "slow" }));
        Assert.That(resumeEffects.Order(StringComparer.Ordinal), Is.EqualTo(new[] { "end", "slow" }), "only the in-flight task and later steps run again");
    }

    /// <summary>
    /// Separate processes creating the same new SQLite file at once all open it (the schema is created by exactly one
    /// of them under <c>BEGIN IMMEDIATE</c>) and each runs its own thread on it.
    /// </summary>
    [Test]
    public async Task Open_ThreeProcessesCreatingTheSameNewFile_AllOpenItAndRunTheirThreads()
    {
        for (var round = 0; round < 3; round++)
        {
            var db = Path.Combine(directory, $"shared-{round}.db");
            var gate = Path.Combine(directory, "gate");
            var runs = Enumerable.Range(0, 3)
                .Select(i => Start("plain", db, $"p{i}", Path.Combine(directory, $"effects-{round}-{i}.txt"), gate))
                .ToList();

            var results = await Task.WhenAll(runs.Select(RunToEndAsync));

            Assert.That(results, Has.All.EqualTo("RESULT a,fast1,fast2,slow,end(4)"), $"round {round}");
            await using var store = Graph.Engine.Sqlite.SqliteCheckpointer.Open(db);
            Assert.That(await store.ListThreadsAsync().Bounded(), Is.EqualTo(new[] { "p0", "p1", "p2" }), $"round {round}");
        }
    }

    private static async Task<string?> RunToEndAsync(Process process)
    {
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(Wait.Timeout);
        await process.WaitForExitAsync().Bounded();
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(Wait.Timeout);
        Assert.That(process.ExitCode, Is.Zero, error);
        return output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    }

    private Process Start(params string[] args)
    {
        // tests/Engine.CSharp.Tests/bin/<Configuration>/<tfm>/ -> tests/Engine.CrashHost/bin/<Configuration>/<tfm>/
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var tests = baseDir.Parent.Parent!.Parent!.Parent!.FullName;
        var host = Path.Combine(tests, "Engine.CrashHost", "bin", configuration, tfm, "Graph.Engine.CrashHost.dll");
        Assert.That(File.Exists(host), Is.True, $"crash host not built: {host}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(host);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        processes.Add(process);
        return process;
    }
}
