using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// The copies of subgraph nodes' child graphs that a test runs in place of the originals: one per subgraph node the
/// test addressed (<see cref="NodeStubs{TState, TUpdate}.Subgraph{TChildState, TChildUpdate}"/>), compiled from the
/// child's own model and options onto the test's scheduler, clock and the child's stub table. Disposed with their owner.
/// </summary>
internal sealed class ChildGraphs(DeterministicScheduler scheduler) : IAsyncDisposable
{
    private readonly Dictionary<string, IAsyncDisposable> copies = new(StringComparer.Ordinal);

    /// <summary>The graph subgraph node <paramref name="node"/> runs: <paramref name="child"/> itself when <paramref name="table"/> is null, else the test's copy.</summary>
    public CompiledGraph<TChildState, TChildUpdate> Resolve<TChildState, TChildUpdate>(object? table, string node, CompiledGraph<TChildState, TChildUpdate> child)
    {
        if (table is not NodeStubs<TChildState, TChildUpdate> stubs)
        {
            return child;
        }

        lock (copies)
        {
            if (!copies.TryGetValue(node, out var copy))
            {
                copy = new CompiledGraph<TChildState, TChildUpdate>(child.Model, child.Options with
                {
                    TimeProvider = scheduler.Clock,
                    TaskExecutorFactory = new SeededExecutorFactory(scheduler, stubs),
                });
                copies[node] = copy;
            }

            return (CompiledGraph<TChildState, TChildUpdate>)copy;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] graphs;
        lock (copies)
        {
            graphs = [.. copies.Values];
            copies.Clear();
        }

        foreach (var graph in graphs)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }
    }
}
