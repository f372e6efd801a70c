using Graph.Engine.Workloads.Baselines;

namespace Graph.Cli.Tests;

public class KeptChainFloorTests
{
    [Test]
    public async Task RunAsync_ThreeRuns_KeepsEachRunsThreadAndElevenRecords()
    {
        var workload = new KeptChainFloor();
        await workload.SetupAsync(CancellationToken.None);
        try
        {
            var before = DateTimeOffset.UtcNow;
            await workload.RunAsync(3, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
            var after = DateTimeOffset.UtcNow;

            var threads = workload.ThreadIds.ToList();
            Assert.That(threads, Has.Count.EqualTo(3).And.Unique, "a new thread id per run");
            Assert.That(workload.KeptBytes, Is.EqualTo(3 * 11 * KeptChainFloor.RecordBytes));
            Assert.Multiple(() =>
            {
                foreach (var thread in threads)
                {
                    var records = workload.Read(thread);
                    Assert.That(records.Select(r => r.Step), Is.EqualTo(Enumerable.Range(-1, 11)), $"{thread}: the input, then steps 0 to 9");
                    Assert.That(records.Select(r => r.State), Is.EqualTo(Enumerable.Range(0, 11).Select(i => (long)i)), $"{thread}: chain10's states");
                    Assert.That(records.Select(r => r.NextNode), Is.EqualTo(Enumerable.Range(0, 10).Append(-1)), $"{thread}: the next node, none after the last");
                    Assert.That(records.Select(r => r.Write), Is.EqualTo(Enumerable.Range(1, 10).Select(i => (long)i).Append(0)), $"{thread}: each task's write");
                    Assert.That(records.Select(r => r.CreatedAt), Is.Ordered.And.All.InRange(before, after), $"{thread}: a clock read per checkpoint");
                }
            });
        }
        finally
        {
            await workload.TeardownAsync();
        }

        Assert.That(workload.ThreadIds, Is.Empty, "teardown lets go of what was kept");
    }

    [Test]
    public async Task RunAsync_MoreRunsThanAChunkHolds_ReadsBackEveryRunAcrossChunks()
    {
        var workload = new KeptChainFloor();
        await workload.SetupAsync(CancellationToken.None);
        try
        {
            const int runs = 3_000; // 352 B a run: a 1 MiB chunk holds 2,978
            await workload.RunAsync(runs, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.That(workload.ThreadIds, Has.Count.EqualTo(runs));
            Assert.That(workload.ThreadIds.Select(t => workload.Read(t)[10].State), Has.All.EqualTo(10L), "every run's last checkpoint, in whichever chunk");
        }
        finally
        {
            await workload.TeardownAsync();
        }
    }
}
