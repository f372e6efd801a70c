using System.Collections.Concurrent;
using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Engine.Orleans.Tests.Support;

/// <summary>
/// The graphs every test silo registers, over one in-memory checkpointer shared by the silos of this process, with
/// side effects counted per thread and node, and gates that hold a run inside a node until a test releases it.
/// </summary>
public static class TestGraphs
{
    public const string Chain = "chain";
    public const string Gated = "gated";
    public const string Ask = "ask";
    public const string Split = "split";
    public const string Failing = "failing";
    public const int ChainLength = 5;

    private static readonly ConcurrentDictionary<string, int> Effects = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> Hosts = new(StringComparer.Ordinal);

    public static InMemoryCheckpointer Store { get; } = new();

    /// <summary>How often <paramref name="node"/> ran on <paramref name="threadId"/>.</summary>
    public static int Runs(string threadId, string node) => Effects.GetValueOrDefault(threadId + "/" + node);

    /// <summary>The silo that last ran a node of <paramref name="threadId"/>.</summary>
    public static string? HostOf(string threadId) => Hosts.GetValueOrDefault(threadId);

    /// <summary>The gate of <paramref name="threadId"/>'s "hold" node.</summary>
    public static Gate GateOf(string threadId) => Gates.GetOrAdd(threadId, _ => new Gate());

    /// <summary>n1..n5, node k adding k: the final state is the input plus 15.</summary>
    public static CompiledGraph<int, int> BuildChain(string silo)
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>());
        for (var k = 1; k <= ChainLength; k++)
        {
            var value = k;
            var name = "n" + k;
            graph.AddNode(name, (_, ctx) => Count(ctx, silo, name, value));
            graph.AddEdge(k == 1 ? StateGraph.Start : "n" + (k - 1), name);
        }

        return graph.AddEdge("n" + ChainLength, StateGraph.End).Compile(new GraphCompileOptions { Checkpointer = Store });
    }

    /// <summary>before (adds 1), hold (waits at the thread's gate, adds 10), after (adds 100).</summary>
    public static CompiledGraph<int, int> BuildGated(string silo) =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("before", (_, ctx) => Count(ctx, silo, "before", 1))
            .AddNode("hold", async (_, ctx) =>
            {
                Count(ctx, silo, "hold", 0);
                await GateOf(ctx.ThreadId!).PassAsync(ctx.CancellationToken);
                return 10;
            })
            .AddNode("after", (_, ctx) => Count(ctx, silo, "after", 100))
            .AddEdge(StateGraph.Start, "before")
            .AddEdge("before", "hold")
            .AddEdge("hold", "after")
            .AddEdge("after", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = Store });

    /// <summary>ask (interrupts for an int, returns it), done (adds 1000).</summary>
    public static CompiledGraph<int, int> BuildAsk(string silo) =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("ask", (_, ctx) =>
            {
                Hosts[ctx.ThreadId!] = silo;
                return ctx.Interrupt<int>("how much?");
            })
            .AddNode("done", (_, ctx) => Count(ctx, silo, "done", 1000))
            .AddEdge(StateGraph.Start, "ask")
            .AddEdge("ask", "done")
            .AddEdge("done", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = Store });

    /// <summary>One node that fails as PostgreSQL does when it is out of connections (a type Orleans has no codec for).</summary>
    public static CompiledGraph<int, int> BuildFailing() =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("store", (Func<int, int>)(_ => throw new Npgsql.PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300")))
            .AddEdge(StateGraph.Start, "store")
            .AddEdge("store", StateGraph.End)
            .Compile(new GraphCompileOptions { Checkpointer = Store });

    /// <summary>START → {bad, good} → END: 'bad' always fails, 'good' adds 1; the step continues its other branch.</summary>
    public static CompiledGraph<int, int> BuildSplit() =>
        new StateGraph<int, int>(Reducers.Sum<int>())
            .AddNode("bad", (Func<int, int>)(_ => throw new InvalidOperationException("bad branch")))
            .AddNode("good", (Func<int, int>)(_ => 1))
            .AddEdge(StateGraph.Start, "bad").AddEdge(StateGraph.Start, "good")
            .AddEdge("bad", StateGraph.End).AddEdge("good", StateGraph.End)
            .SetBranchFailures(BranchFailurePolicy.ContinueOthers)
            .Compile(new GraphCompileOptions { Checkpointer = Store });

    private static int Count(NodeContext ctx, string silo, string node, int value)
    {
        Hosts[ctx.ThreadId!] = silo;
        Effects.AddOrUpdate(ctx.ThreadId + "/" + node, 1, (_, n) => n + 1);
        return value;
    }
}
