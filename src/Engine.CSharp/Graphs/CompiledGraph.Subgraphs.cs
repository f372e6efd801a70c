using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>A child graph compiled without a checkpointer, run on its parent's store (LangGraph's inherited checkpointer).</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private readonly Dictionary<ICheckpointer, CompiledGraph<TState, TUpdate>> onStores = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// This graph with <paramref name="store"/> as its checkpointer, created once per store and disposed with this
    /// graph; used for a child compiled without a checkpointer under a durable parent.
    /// </summary>
    internal CompiledGraph<TState, TUpdate> OnStore(ICheckpointer store)
    {
        lock (onStores)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (!onStores.TryGetValue(store, out var graph))
            {
                graph = new CompiledGraph<TState, TUpdate>(Model, Options with { Checkpointer = store });
                onStores[store] = graph;
            }

            return graph;
        }
    }

    private async ValueTask DisposeOnStoresAsync()
    {
        CompiledGraph<TState, TUpdate>[] graphs;
        lock (onStores)
        {
            graphs = [.. onStores.Values];
            onStores.Clear();
        }

        foreach (var graph in graphs)
        {
            await graph.DisposeAsync().ConfigureAwait(false);
        }
    }
}
