using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>
/// Fixed-seed simulations of the races the engine once had: each fails from its seed when that race's fix is
/// reverted (see docs/testing.md, "Simulation testing").
/// </summary>
public class RaceTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 8);

    /// <summary>
    /// A run times out while a task waits for its busy exclusive node (as in a mailbox): the waiting task's
    /// cancellation reaches its report before the run's own timeout handler. The run must still end timed out.
    /// </summary>
    [TestCaseSource(nameof(Seeds))]
    public void RunTimeout_TaskWaitingForBusyNode_EndsWithTimeoutNotCancellation(int seed)
    {
        var clock = new SimulatedClock();
        var graph = new StateGraph<long, long>(Reducers.Sum<long>())
            .AddNode("plan", (long _) => 0L)
            .AddWorker<int>("slow", async (int n, NodeContext ctx) =>
            {
                await Task.Delay(TimeSpan.FromHours(1), clock, ctx.CancellationToken).ConfigureAwait(false);
                return n;
            }, new NodeOptions { MaxParallelism = 1 })
            .AddEdge(StateGraph.Start, "plan")
            .AddConditionalEdges("plan", _ => Route.Sends(Send.To("slow", 1), Send.To("slow", 2)), "slow")
            .AddEdge("slow", StateGraph.End);
        using var test = GraphTest.Create(graph, seed, clock: clock);

        var run = test.Run(0, new RunOptions { Timeout = TimeSpan.FromMinutes(1) });

        var timeout = run.ShouldFailWith<TimeoutException>();
        Assert.That(timeout.Message, Does.Contain("exceeded its timeout"));
        Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    /// <summary>
    /// Cancel-then-resume on the SQLite store (a real file, written by its background writer): a PerStepSync run is
    /// cancelled while its checkpoint put is on its way, and the thread is resumed at once. The cancelled run must
    /// complete only after the put has landed, or the resume writes a checkpoint id the store already holds ("ids
    /// must increase"). These seeds failed so when the fix was reverted (docs/testing.md).
    /// </summary>
    [TestCase(70)]
    [TestCase(74)]
    [TestCase(188)]
    [TestCase(250)]
    [TestCase(269)]
    [TestCase(281)]
    public void CancelThenResume_OnSqlite_ResumeContinuesTheChain(int seed)
    {
        var faults = SimulationGen.Case(seed).Faults;
        Assert.That((faults.Kind, faults.Durability), Is.EqualTo((FaultKind.CancelAtAwait, CheckpointDurability.PerStepSync)));
        Assert.That(SqliteSimulation.Run(seed), Is.Null);
    }
}
