using Graph.Engine.Checkpoints;
using Graph.Engine.Graphs;

namespace Graph.Cli.Cluster;

/// <summary>
/// The cluster demo's graph, chain10: nodes n1..n10, node k adding k (a finished run holds 55). Each execution is
/// recorded in the shared <see cref="EffectLog"/> before the node's work; a node can be told to hold its first
/// execution on each thread forever (the test kills the silo there).
/// </summary>
internal static class ClusterDemoGraph
{
    public const string Name = "chain10";
    public const int Length = 10;
    public const int FinalState = Length * (Length + 1) / 2;

    public static CompiledGraph<int, int> Build(ICheckpointer store, EffectLog effects, string silo, TimeSpan stepDelay, string? holdAt, TextWriter announce)
    {
        var graph = new StateGraph<int, int>(Reducers.Sum<int>());
        for (var k = 1; k <= Length; k++)
        {
            var value = k;
            var name = "n" + k;
            graph.AddNode(name, async (_, ctx) =>
            {
                var thread = ctx.ThreadId!;
                if (name == holdAt && !effects.Contains(thread, name))
                {
                    effects.Append(thread, name, silo);
                    await announce.WriteLineAsync($"HOLD {thread} {name}").ConfigureAwait(false);
                    await announce.FlushAsync(ctx.CancellationToken).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken).ConfigureAwait(false);
                }

                effects.Append(thread, name, silo);
                if (stepDelay > TimeSpan.Zero)
                {
                    await Task.Delay(stepDelay, ctx.CancellationToken).ConfigureAwait(false); // stands for the node's work
                }

                return value;
            });
            graph.AddEdge(k == 1 ? StateGraph.Start : "n" + (k - 1), name);
        }

        // PerStepSync: a step's checkpoint is in PostgreSQL before the next step starts, so a silo killed mid-step
        // loses only the step in flight (with Async a kill may beat the writer, and the survivor starts over).
        return graph.AddEdge("n" + Length, StateGraph.End).Compile(new GraphCompileOptions { Checkpointer = store, Durability = CheckpointDurability.PerStepSync });
    }
}
