using Graph.Engine.Checkpoints;
using Graph.Engine.Checkpoints.Storage;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>
/// Schema versions 2 and 3 of the SQLite store: content-defined chunks of large states (round trips under random edits,
/// storage growth, garbage collection of chunks) and the migration of version 1 files.
/// </summary>
[TestFixture]
public sealed partial class SqliteChunkingTests
{
    private string directory = null!;

    private string FilePath => Path.Combine(directory, "checkpoints.db");

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-chunks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public void Cut_RandomData_ChunksCoverTheDataWithinTheirBounds([Range(0, 49)] int seed)
    {
        var random = new Random(seed);
        var data = new byte[random.Next(0, 64 * 1024)];
        random.NextBytes(data);

        var lengths = StateChunks.Cut(data);

        Assert.That(lengths.Sum(), Is.EqualTo(data.Length));
        Assert.That(lengths, Has.All.InRange(1, StateChunks.MaxChunk));
        Assert.That(lengths.Take(Math.Max(0, lengths.Count - 1)), Has.All.GreaterThanOrEqualTo(StateChunks.MinChunk), "only the last chunk may be short");
        Assert.That(StateChunks.Cut(data), Is.EqualTo(lengths), "deterministic");
    }

    [Test]
    public void Cut_SmallEditAnywhere_ChangesAtMostThreeChunks([Range(0, 99)] int seed)
    {
        var random = new Random(seed);
        var before = new byte[random.Next(16 * 1024, 64 * 1024)];
        random.NextBytes(before);
        var after = Edit(random, before);

        var old = Chunks(before).ToHashSet();
        var changed = Chunks(after).Count(chunk => !old.Contains(chunk));

        Assert.That(changed, Is.LessThanOrEqualTo(3), "an edit of a few bytes only touches the chunks around it");
    }

    [Test]
    public async Task PutAndRead_StatesUnderRandomEdits_RoundTripBeforeAndAfterReopening([Range(0, 19)] int seed)
    {
        var random = new Random(seed);
        var states = new List<byte[]>();
        var state = new byte[random.Next(0, 40 * 1024)];
        random.NextBytes(state);
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            for (var id = 1; id <= 30; id++)
            {
                states.Add(state);
                await store.PutAsync(Checkpoint("t", id, state), CheckpointDurability.Async);
                state = random.Next(10) == 0 ? states[random.Next(states.Count)] : Edit(random, state);
            }

            await AssertHistory(store, states);
        }

        await using var reopened = SqliteCheckpointer.Open(FilePath);
        await AssertHistory(reopened, states);
    }

    [Test]
    public async Task DeleteAndPrune_ChunkedStates_RemoveExactlyTheUnreferencedChunks()
    {
        var random = new Random(7);
        var state = new byte[20 * 1024];
        random.NextBytes(state);
        var latestState = state;
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            for (var id = 1; id <= 10; id++)
            {
                await store.PutAsync(Checkpoint("a", id, state), CheckpointDurability.Async);
                latestState = state;
                state = Edit(random, state);
            }

            await store.CopyThreadAsync("a", "b");
            await store.PruneAsync("a", 2);
            var chunksAfterPrune = Count("chunks");
            await store.DeleteThreadAsync("a");

            Assert.That(Count("chunks"), Is.EqualTo(chunksAfterPrune), "the copy still refers to every chunk");
            Assert.That((await store.ListAsync("b")).Select(c => c.Id), Is.EqualTo(Enumerable.Range(1, 10).Reverse().Select(i => (long)i)));

            await store.PruneAsync("b", 1);
            var latest = (await store.GetAsync("b"))!;
            Assert.That(latest.State.ToArray(), Is.EqualTo(latestState), "the kept state still reads");
            Assert.That(Count("chunks"), Is.EqualTo(StateChunks.Cut(latest.State.Span).Count), "only the latest state's chunks are left");

            await store.DeleteThreadAsync("b");
        }

        Assert.Multiple(() =>
        {
            Assert.That(Count("chunks"), Is.Zero);
            Assert.That(Count("blobs"), Is.Zero);
        });
    }

    [Test]
    public async Task InvokeAsync_1000StepsOfA10KbStateChangedSlightly_StoresFarLessThanFullCopies()
    {
        const int Runs = 100;
        await using (var store = SqliteCheckpointer.Open(FilePath))
        {
            await using var graph = CounterGraph(store);
            for (var run = 0; run < Runs; run++)
            {
                var payload = RandomPayload(new Random(run));
                var result = await graph.InvokeAsync(new Doc(0, payload), new RunOptions { ThreadId = $"run-{run}" });
                Assert.That(result.Counter, Is.EqualTo(10));
            }

            var last = await graph.GetStateHistoryAsync("run-99");
            Assert.That(last.Select(s => s.Values.Counter), Is.EqualTo(Enumerable.Range(0, 11).Reverse()));
            Assert.That(last[0].Values.Payload, Is.EqualTo(RandomPayload(new Random(99))));
        }

        var size = FileSize();
        var fullCopies = Runs * 11L * 10 * 1024;
        TestContext.Out.WriteLine($"{Runs} runs x 10 steps, 10 KB state: {size:N0} bytes on disk; full copies would be {fullCopies:N0}");
        Assert.That(size, Is.LessThan(fullCopies / 3), "each step re-stores the changed chunk, not the state");
    }

    private static Checkpoint Checkpoint(string thread, long id, byte[] state) => new()
    {
        ThreadId = thread,
        Id = id,
        ParentId = id == 1 ? null : id - 1,
        Step = (int)id,
        StateType = "bytes",
        State = state,
        Metadata = new CheckpointMetadata { Source = CheckpointSource.Loop },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static async Task AssertHistory(SqliteCheckpointer store, List<byte[]> states)
    {
        var history = await store.ListAsync("t");
        Assert.That(history, Has.Count.EqualTo(states.Count));
        for (var i = 0; i < states.Count; i++)
        {
            Assert.That(history[states.Count - 1 - i].State.ToArray(), Is.EqualTo(states[i]), $"checkpoint {i + 1}");
            Assert.That((await store.GetAsync("t", i + 1))!.State.ToArray(), Is.EqualTo(states[i]), $"get {i + 1}");
        }
    }

    private static string RandomPayload(Random random) =>
        string.Concat(Enumerable.Range(0, 10 * 1024).Select(_ => (char)('a' + random.Next(26))));

    private static CompiledGraph<Doc, int> CounterGraph(ICheckpointer store)
    {
        var graph = new StateGraph<Doc, int>((state, updates) => state with { Counter = state.Counter + updates.Sum(u => u.Update) });
        for (var i = 0; i < 10; i++)
        {
            graph.AddNode($"n{i}", static _ => 1);
            graph.AddEdge(i == 0 ? StateGraph.Start : $"n{i - 1}", $"n{i}");
        }

        graph.AddEdge("n9", StateGraph.End);
        return graph.Compile(new GraphCompileOptions { Checkpointer = store });
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private long Count(string table) => (long)Scalar($"SELECT count(*) FROM {table}")!;

    private long FileSize() => new[] { FilePath, FilePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public sealed record Doc(int Counter, string Payload);
}
