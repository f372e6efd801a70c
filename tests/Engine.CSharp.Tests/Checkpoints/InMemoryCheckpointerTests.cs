using Graph.Engine.Checkpoints;

namespace Graph.Engine.Tests.Checkpoints;

[TestFixture]
public sealed class InMemoryCheckpointerTests : CheckpointerConformanceTests
{
    private static readonly Dictionary<string, string> RunProperties = new() { ["run_id"] = "r-1", ["user"] = "ada" };

    [Test]
    public async Task PruneAsync_MostOfAHistoryWithWritesAndSharedProperties_TheRestReadsBackUnchanged()
    {
        var expected = await PutHistoryWithWritesAsync("t", 40);

        Assert.That(await Store.PruneAsync("t", 5), Is.EqualTo(35));
        await Store.PutWritesAsync("t", 40, [new PendingWrite("task-40", "n", PendingWriteKind.Update, new byte[] { 9 })]);

        var kept = await Store.ListAsync("t");
        Assert.That(kept.Select(c => c.Id), Is.EqualTo(new long[] { 40, 39, 38, 37, 36 }));
        Assert.That(kept.Skip(1), Is.EqualTo(expected.Skip(35).Take(4).Reverse()), "the records rewritten when most of the buffer was deleted");
        Assert.That(kept[0].PendingWrites.Select(w => (w.TaskId, w.Kind, w.Payload.ToArray()[0])), Is.EqualTo(new[]
        {
            ("task-40", PendingWriteKind.Error, (byte)40),
            ("task-40", PendingWriteKind.Update, (byte)9),
        }), "a later write replaced the update of the same task after the rewrite; the error stays first");
    }

    [Test]
    public async Task CopyThreadAsync_HistoryWithSharedProperties_CopyReadsBackEqualAndIndependent()
    {
        var expected = await PutHistoryWithWritesAsync("source", 12);

        await Store.CopyThreadAsync("source", "copy");
        await Store.DeleteThreadAsync("source");

        var copy = (await Store.ListAsync("copy")).Reverse().ToArray();
        Assert.That(copy, Is.EqualTo(expected.Select(c => c with { ThreadId = "copy" })));
        Assert.That(copy.All(c => c.Metadata.Properties.Count == 2), Is.True);
    }

    protected override ICheckpointer CreateCheckpointer() => new InMemoryCheckpointer();

    /// <summary>Puts a chain with the same properties on every checkpoint and two writes on each; returns the checkpoints as they read back.</summary>
    private async Task<Checkpoint[]> PutHistoryWithWritesAsync(string thread, int count)
    {
        var expected = new List<Checkpoint>();
        for (var id = 1; id <= count; id++)
        {
            var checkpoint = Make(thread, id, parent: id == 1 ? null : id - 1, step: id - 1) with
            {
                Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop, Writers = ["n"], Properties = RunProperties },
            };
            await Store.PutAsync(checkpoint, CheckpointDurability.Async);
            PendingWrite[] writes =
            [
                new($"task-{id}", "n", PendingWriteKind.Error, new byte[] { (byte)id }),
                new($"task-{id}", "n", PendingWriteKind.Update, new byte[] { (byte)id, 1 }),
            ];
            await Store.PutWritesAsync(thread, id, writes);
            expected.Add(checkpoint with { PendingWrites = writes });
        }

        return [.. expected];
    }
}
