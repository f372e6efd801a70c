using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Tests.Graphs;

namespace Graph.Engine.Tests.Durability;

/// <summary>
/// Threads written by an older graph: each test writes the thread with the old graph definition (on SQLite, a real
/// file, closed and opened again), then resumes it with a changed graph; a difference is a typed report unless state
/// migrations bring the thread forward.
/// </summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
public sealed class GraphVersioningTests(StoreKind kind)
{
    private string directory = null!;
    private InMemoryCheckpointer memory = null!;

    private string FilePath => Path.Combine(directory, "threads.db");

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), "graph-versions-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        memory = new InMemoryCheckpointer();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task ResumeAsync_ThreadOfAnOlderGraphWithoutMigrations_ThrowsWithAReportAndWritesNothing()
    {
        await WriteV1ThreadAsync();
        await using var handle = OpenStore();
        var store = handle.Store;
        await using var compiled = V3Graph(store, migrations: null);

        var exception = await Assert.ThrowsAsync<GraphCompatibilityException>(async () => await compiled.ResumeAsync("t").Bounded());

        var report = exception!.Report;
        Assert.That((report.ThreadId, report.CheckpointId), Is.EqualTo(("t", 2L)));
        Assert.That(report.NodesAdded, Is.EqualTo(new[] { "c" }));
        Assert.That(report.NodesRemoved, Is.Empty);
        Assert.That(report.StateTypeChanged, Is.True);
        Assert.That(report.StoredStateType, Does.EndWith("+V1"));
        Assert.That(report.CurrentStateType, Does.EndWith("+V3"));
        Assert.That(report.UpdateTypeChanged, Is.False);
        Assert.That(report.StoredFingerprint, Is.Not.EqualTo(report.CurrentFingerprint));
        Assert.That(exception.Message, Does.Contain("StateMigrations").And.Contain("nodes added: c"));
        Assert.That(await store.ListAsync("t").Bounded(), Has.Count.EqualTo(2), "nothing was written");
    }

    [Test]
    public async Task ResumeAsync_ThreadOfAnOlderGraphWithChainedMigrations_MigratesV1ToV3AndRuns()
    {
        await WriteV1ThreadAsync();
        var migrations = StateMigrations.Empty
            .Add<V1, V2>(v1 => new V2(v1.Count, "from v1"))
            .Add<V2, V3>(v2 => new V3(v2.Count, v2.Note, Migrated: true));
        await using var handle = OpenStore();
        var store = handle.Store;
        await using var compiled = V3Graph(store, migrations);

        var resumed = await compiled.ResumeAsync("t").Bounded();
        var latest = await store.GetAsync("t").Bounded();

        Assert.That(resumed.State, Is.EqualTo(new V3(3, "from v1", Migrated: true)), "a ran under V1; b and c after the migration");
        Assert.That(latest!.StateType, Is.EqualTo(Checkpoint.StateTypeNameOf(typeof(V3))));
        Assert.That(await store.ListAsync("t").Bounded(), Has.Count.EqualTo(4), "V1's two checkpoints, then b's and c's");
    }

    [Test]
    public async Task ResumeAsync_MigrationChainWithAGap_ThrowsNamingBothTypes()
    {
        await WriteV1ThreadAsync();
        await using var handle = OpenStore();
        var store = handle.Store;
        await using var compiled = V3Graph(store, StateMigrations.Empty.Add<V1, V2>(v1 => new V2(v1.Count, "")));

        var exception = await Assert.ThrowsAsync<GraphCompatibilityException>(async () => await compiled.ResumeAsync("t").Bounded());

        Assert.That(exception!.Message, Does.Contain("No registered state migration leads from").And.Contain("+V1 to").And.Contain("+V3"));
    }

    [Test]
    public async Task ResumeAsync_PendingTaskOnARemovedNode_ReportsTheNodeEvenWithMigrations()
    {
        await WriteV1ThreadAsync();
        await using var handle = OpenStore();
        var store = handle.Store;
        var graph = new StateGraph<V1, int>((state, updates) => state with { Count = state.Count + updates.Sum(u => u.Update) })
            .AddNode("a", static _ => 1)
            .AddNode("c", static _ => 1)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "c")
            .AddEdge("c", StateGraph.End);
        await using var compiled = graph.Compile(new GraphCompileOptions { Checkpointer = store, StateMigrations = StateMigrations.Empty });

        var exception = await Assert.ThrowsAsync<GraphCompatibilityException>(async () => await compiled.ResumeAsync("t").Bounded());

        Assert.That(exception!.Report.PendingTasksOnMissingNodes, Is.EqualTo(new[] { "b" }));
        Assert.That(exception.Report.NodesRemoved, Is.EqualTo(new[] { "b" }));
        Assert.That(exception.Report.NodesAdded, Is.EqualTo(new[] { "c" }));
        Assert.That(exception.Report.StateTypeChanged, Is.False);
    }

    [Test]
    public async Task ResumeAsync_SameGraphCompiledAgain_ResumesWithoutMigrations()
    {
        await WriteV1ThreadAsync();
        await using var handle = OpenStore();
        var store = handle.Store;
        await using var compiled = V1Graph(store);

        var resumed = await compiled.ResumeAsync("t").Bounded();

        Assert.That(resumed.State, Is.EqualTo(new V1(2)));
    }

    [Test]
    public void Add_SecondMigrationFromTheSameType_ThrowsNamingIt()
    {
        var migrations = StateMigrations.Empty.Add<V1, V2>(v1 => new V2(v1.Count, ""));

        var exception = Assert.Throws<ArgumentException>(() => migrations.Add<V1, V3>(v1 => new V3(v1.Count, "", false)));

        Assert.That(exception!.Message, Does.Contain("already registered"));
        Assert.That(migrations.Count, Is.EqualTo(1));
    }

    /// <summary>Runs V1 (a, then b) until the static interrupt before b: checkpoints 1 (input) and 2 (after a).</summary>
    private async Task WriteV1ThreadAsync()
    {
        await using var handle = OpenStore();
        var store = handle.Store;
        await using var compiled = V1Graph(store);
        var first = await compiled.RunAsync(new V1(0), new RunOptions { ThreadId = "t" }).Bounded();
        Assert.That((first.Status, first.State, first.CheckpointId), Is.EqualTo((GraphRunStatus.Interrupted, new V1(1), (long?)2)));
    }

    /// <summary>The fixture's store: the same in-memory store throughout a test, or the SQLite file opened anew.</summary>
    private StoreHandle OpenStore() => kind == StoreKind.Sqlite ? new StoreHandle(SqliteCheckpointer.Open(FilePath)) : new StoreHandle(memory);

    private static CompiledGraph<V1, int> V1Graph(ICheckpointer store) =>
        new StateGraph<V1, int>((state, updates) => state with { Count = state.Count + updates.Sum(u => u.Update) })
            .AddNode("a", static _ => 1)
            .AddNode("b", static _ => 1)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store, InterruptBefore = ["b"], Durability = CheckpointDurability.PerStepSync });

    private static CompiledGraph<V3, int> V3Graph(ICheckpointer store, StateMigrations? migrations) =>
        new StateGraph<V3, int>((state, updates) => state with { Total = state.Total + updates.Sum(u => u.Update) })
            .AddNode("a", static _ => 1)
            .AddNode("b", static _ => 1)
            .AddNode("c", static _ => 1)
            .AddEdge(StateGraph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", "c")
            .AddEdge("c", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = store, StateMigrations = migrations, Durability = CheckpointDurability.PerStepSync });

    public sealed record V1(int Count);

    private sealed class StoreHandle(ICheckpointer store) : IAsyncDisposable
    {
        public ICheckpointer Store => store;

        public ValueTask DisposeAsync() => store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }

    public sealed record V2(int Count, string Note);

    public sealed record V3(int Total, string Note, bool Migrated);
}
