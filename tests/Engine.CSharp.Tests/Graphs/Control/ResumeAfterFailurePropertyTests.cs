using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;
using Graph.Engine.Tests.Durability;

namespace Graph.Engine.Tests.Graphs.Control;

/// <summary>
/// For any fan-out, any set of failing branches and either failing policy: a resume after the fix runs again exactly
/// the tasks without a recorded update (under ContinueOthers: exactly the failed ones), and ends with every branch
/// and the join applied once. On each store: every case is a thread of its own in the fixture's store.
/// </summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public class ResumeAfterFailurePropertyTests(StoreKind kind) : StoreFixture(kind)
{
    private int cases;

    [Test]
    public void ResumeReruns_OnlyFailedTasks()
    {
        var cases =
            from width in Gen.Choose(1, 6)
            from failing in Gen.Choose(1, (1 << width) - 1)
            from continueOthers in Gen.Elements(true, false)
            select (width, failing, continueOthers);

        Prop.ForAll(Arb.From(cases), c => Holds(c.width, c.failing, c.continueOthers).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    private async Task<bool> Holds(int width, int failing, bool continueOthers)
    {
        var names = Enumerable.Range(0, width).Select(i => $"b{i}").ToArray();
        var broken = new ConcurrentDictionary<string, bool>(names.Where((_, i) => (failing & (1 << i)) != 0).Select(n => KeyValuePair.Create(n, true)));
        var runs = new ConcurrentDictionary<string, int>();
        var graph = TestGraphs.Trace();
        foreach (var name in names)
        {
            graph.AddNode(name, s =>
            {
                runs.AddOrUpdate(name, 1, (_, n) => n + 1);
                return broken.ContainsKey(name) ? throw new InvalidOperationException($"{name} broke") : TestGraphs.Log(name);
            });
            graph.AddEdge(StateGraph.Start, name);
        }

        graph.AddNode("join", s => TestGraphs.Log("join")).AddJoin(names, "join").AddEdge("join", StateGraph.End);
        if (continueOthers)
        {
            graph.SetBranchFailures(BranchFailurePolicy.ContinueOthers);
        }

        var store = TestStore.Store;
        var thread = $"t{Interlocked.Increment(ref cases)}";
        await using var compiled = graph.Compile(checkpointer: store);
        Exception? failure = null;
        try
        {
            await compiled.InvokeAsync([], new RunOptions { ThreadId = thread }).Bounded();
        }
        catch (Exception ex) when (ex is NodeFailedException or StepFailedException)
        {
            failure = ex;
        }

        var recorded = (await store.GetAsync(thread, 1).Bounded())!.PendingWrites
            .Where(w => w.Kind == PendingWriteKind.Update).Select(w => w.Node).ToHashSet();
        var firstRuns = new Dictionary<string, int>(runs);
        broken.Clear();
        var resumed = await compiled.ResumeAsync(thread).Bounded();

        var rerun = names.Where(n => runs.GetValueOrDefault(n) > firstRuns.GetValueOrDefault(n)).ToHashSet();
        var failedNames = names.Where((_, i) => (failing & (1 << i)) != 0).ToHashSet();
        return failure is not null
            && rerun.SetEquals(names.Where(n => !recorded.Contains(n)))
            && (!continueOthers || (rerun.SetEquals(failedNames) && ((StepFailedException)failure).Failures.Select(f => f.Node).SequenceEqual(failedNames.Order())))
            && resumed.State.SequenceEqual(names.Append("join"));
    }
}
