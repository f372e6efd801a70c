using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;

namespace Graph.Engine.Tests.Checkpoints;

/// <summary>The writer's cost in statements and synced commits per step of a persisted run (issue 18's speed targets).</summary>
[TestFixture]
public sealed class SqliteStatementCountTests
{
    private const int Length = 10;
    private const int Runs = 20;
    private string directory = null!;

    [SetUp]
    public void SetUp()
    {
        directory = Path.Combine(Path.GetTempPath(), $"graph-statements-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task InvokeAsync_Chain10Async_RunsAtMostTenStatementsPerStep()
    {
        var (statements, _, steps) = await RunChainsAsync(CheckpointDurability.Async);
        TestContext.Out.WriteLine($"Async: {statements / (double)steps:F2} statements per step");

        Assert.That(statements / (double)steps, Is.LessThanOrEqualTo(10), $"{statements} statements for {steps} steps");
    }

    [Test]
    public async Task InvokeAsync_Chain10PerStepSync_SyncsAtMostOncePerStep()
    {
        var (statements, synced, steps) = await RunChainsAsync(CheckpointDurability.PerStepSync);
        TestContext.Out.WriteLine($"PerStepSync: {statements / (double)steps:F2} statements and {synced / (double)steps:F2} synced commits per step");

        Assert.That(synced, Is.GreaterThan(0));
        Assert.That(synced / (double)steps, Is.LessThanOrEqualTo(1), $"{synced} synced commits for {steps} steps");
    }

    private async Task<(long Statements, long SyncedCommits, long Steps)> RunChainsAsync(CheckpointDurability durability)
    {
        await using var store = SqliteCheckpointer.Open(Path.Combine(directory, "checkpoints.db"));
        var graph = new StateGraph<int, int>(Reducers.Replace<int>());
        for (var i = 0; i < Length; i++)
        {
            graph.AddNode($"n{i}", static s => s + 1);
            graph.AddEdge(i == 0 ? StateGraph.Start : $"n{i - 1}", $"n{i}");
        }

        graph.AddEdge($"n{Length - 1}", StateGraph.End);
        await using var compiled = graph.Compile(GraphCompileOptions.Default with { Checkpointer = store, Durability = durability });
        var (statements, synced) = (store.Writer.Statements, store.Writer.SyncedCommits);
        for (var run = 0; run < Runs; run++)
        {
            Assert.That(await compiled.InvokeAsync(0, new RunOptions { ThreadId = $"t{run}" }), Is.EqualTo(Length));
        }

        // The run's task completes once its saves are settled: the counters cover every step.
        Assert.That((await store.GetAsync($"t{Runs - 1}"))!.Step, Is.EqualTo(Length));
        return (store.Writer.Statements - statements, store.Writer.SyncedCommits - synced, (long)Runs * (Length + 1));
    }
}
