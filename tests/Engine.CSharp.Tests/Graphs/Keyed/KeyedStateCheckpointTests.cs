using System.Buffers;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;

namespace Graph.Engine.Tests.Graphs.Keyed;

/// <summary>KeyedState and KeyedUpdate checkpoint with every store and serializer, typed by the graph's schema.</summary>
[TestFixture]
public sealed class KeyedStateCheckpointTests
{
    private static readonly KeyedStateSchema Schema = new KeyedStateSchema()
        .LastValue<string>("name")
        .LastValue<Point>("at")
        .Reducer("total", Reducers.Sum<int>(), 0)
        .Topic<string>("inbox")
        .Topic<string>("history", accumulate: true);

    private readonly List<SqliteCheckpointer> opened = [];
    private string directory = null!;

    public static IEnumerable<TestCaseData> Stores()
    {
        yield return new TestCaseData("memory", "json").SetArgDisplayNames("memory", "json");
        yield return new TestCaseData("sqlite", "json").SetArgDisplayNames("sqlite", "json");
        yield return new TestCaseData("memory", "other").SetArgDisplayNames("memory", "other serializer");
        yield return new TestCaseData("sqlite", "other").SetArgDisplayNames("sqlite", "other serializer");
    }

    [SetUp]
    public void SetUp() => directory = Directory.CreateTempSubdirectory("keyed-").FullName;

    [TearDown]
    public async Task TearDown()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }

        opened.Clear();
        Directory.Delete(directory, recursive: true);
    }

    [TestCaseSource(nameof(Stores))]
    public async Task GetStateAsync_AfterKeyedRun_ReadsEveryKeyKindBack(string store, string serializer)
    {
        var checkpointer = Open(store);
        await using var compiled = Steps().Compile(Options(checkpointer, serializer));

        var result = await compiled.RunAsync(Schema.CreateState().With("name", "start"), new RunOptions { ThreadId = "t" }).Bounded();
        var snapshot = await compiled.GetStateAsync("t").Bounded();
        var history = await compiled.GetStateHistoryAsync("t").Bounded();

        Assert.That(result.State.ToString(), Is.EqualTo("{at=Point { X = 1, Y = 2 }, history=[h1, h2], name=b, total=5}"));
        Assert.That(snapshot!.Values.ToString(), Is.EqualTo(result.State.ToString()));
        Assert.That(snapshot.Values.Get<Point>("at"), Is.EqualTo(new Point(1, 2)));
        Assert.That(history.Select(h => h.Values.ToString()), Does.Contain("{history=[h1], inbox=[m1, m2], name=start, total=2}"));
    }

    [TestCaseSource(nameof(Stores))]
    public async Task ResumeAsync_KeyedGraphInterrupted_ContinuesFromTheStoredState(string store, string serializer)
    {
        var checkpointer = Open(store);
        await using var compiled = Schema.CreateGraph()
            .AddNode("a", s => KeyedUpdate.Of("total", 2).Set("inbox", new[] { "m1", "m2" }))
            .AddNode("ask", (s, ctx) => KeyedUpdate.Of("name", ctx.Interrupt<string>("name?")).Set("total", s.Get<int>("total")))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "ask")
            .AddEdge("ask", StateGraph.End)
            .Compile(Options(checkpointer, serializer));

        var first = await compiled.RunAsync(Schema.CreateState(), new RunOptions { ThreadId = "t" }).Bounded();
        var resumed = await compiled.ResumeAsync("t", Resume.With("bob")).Bounded();

        Assert.That(first.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        Assert.That(first.State.ToString(), Is.EqualTo("{inbox=[m1, m2], total=2}"));
        Assert.That(resumed.State.ToString(), Is.EqualTo("{name=bob, total=4}"));
    }

    [TestCaseSource(nameof(Stores))]
    public async Task ResumeAsync_LastValueWrittenByFinishedSiblingAndResumedTask_FailsNamingBothNodes(string store, string serializer)
    {
        var checkpointer = Open(store);
        await using var compiled = Schema.CreateGraph()
            .AddNode("b", s => KeyedUpdate.Of("name", "from b"))
            .AddNode("c", (s, ctx) => KeyedUpdate.Of("name", ctx.Interrupt<string>("name?")))
            .AddEdge(StateGraph.Start, "b")
            .AddEdge(StateGraph.Start, "c")
            .AddEdge("b", StateGraph.End)
            .AddEdge("c", StateGraph.End)
            .Compile(Options(checkpointer, serializer));

        var first = await compiled.RunAsync(Schema.CreateState(), new RunOptions { ThreadId = "t" }).Bounded();
        var exception = await Assert.ThrowsAsync<InvalidUpdateException>(async () => await compiled.ResumeAsync("t", Resume.With("from c")).Bounded());

        Assert.That(first.Status, Is.EqualTo(GraphRunStatus.Interrupted));
        Assert.That(exception!.Key, Is.EqualTo("name"));
        Assert.That(exception.Nodes, Is.EqualTo(new[] { "b", "c" }));
    }

    [Test]
    public async Task RunAsync_KeyedGraphWithAClosureReducer_FailsNamingHowToBuildIt()
    {
        var store = new InMemoryCheckpointer();
        await using var compiled = new StateGraph<KeyedState, KeyedUpdate>((s, u) => Schema.Reduce(s, u))
            .AddNode("a", s => KeyedUpdate.Of("total", 1))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", StateGraph.End)
            .Compile(checkpointer: store);

        var exception = await Assert.ThrowsAsync<CheckpointStoreException>(async () => await compiled.RunAsync(Schema.CreateState(), new RunOptions { ThreadId = "t" }).Bounded());

        Assert.That(exception!.Message, Does.Contain("schema.CreateGraph()"));
    }

    [Test]
    public async Task RunAsync_KeyedUpdateWithAWrongTypedValue_FailsNamingTheKey()
    {
        var store = new InMemoryCheckpointer();
        await using var compiled = Schema.CreateGraph()
            .AddNode("a", s => KeyedUpdate.Of("total", "three"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", StateGraph.End)
            .Compile(checkpointer: store);

        var exception = await Assert.ThrowsAsync<InvalidUpdateException>(async () => await compiled.RunAsync(Schema.CreateState(), new RunOptions { ThreadId = "t" }).Bounded());

        Assert.That(exception!.Key, Is.EqualTo("total"));
        Assert.That(exception.Message, Does.Contain("String").And.Contain("Int32"));
    }

    private static StateGraph<KeyedState, KeyedUpdate> Steps() =>
        Schema.CreateGraph()
            .AddNode("a", s => KeyedUpdate.Of("total", 2).Set("inbox", new[] { "m1", "m2" }).Set("history", "h1"))
            .AddNode("b", s => KeyedUpdate.Of("total", 3).Set("name", "b").Set("at", new Point(1, 2)).Set("history", "h2"))
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", StateGraph.End);

    private static GraphCompileOptions Options(ICheckpointer store, string serializer) => new()
    {
        Checkpointer = store,
        Serializer = serializer == "json" ? JsonCheckpointSerializer.Default : new ForwardingSerializer(),
    };

    private ICheckpointer Open(string store)
    {
        if (store != "sqlite")
        {
            return new InMemoryCheckpointer();
        }

        var sqlite = SqliteCheckpointer.Open(Path.Combine(directory, "c.db"));
        opened.Add(sqlite);
        return sqlite;
    }

    public sealed record Point(int X, int Y);

    /// <summary>A serializer that is not a <see cref="JsonCheckpointSerializer"/>, so the keyed values take the binary envelope.</summary>
    private sealed class ForwardingSerializer : ICheckpointSerializer
    {
        public void Serialize<T>(IBufferWriter<byte> destination, T value) => JsonCheckpointSerializer.Default.Serialize(destination, value);

        public T Deserialize<T>(ReadOnlySpan<byte> source) => JsonCheckpointSerializer.Default.Deserialize<T>(source);
    }
}
