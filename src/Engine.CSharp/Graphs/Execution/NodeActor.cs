using Graph.Engine.Actors;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The actor behind one node of a compiled graph, shared by all its runs. A factory node's instances live with the
/// actor (<see cref="NodeInstances{TState, TUpdate}"/>): each task rents one, a failed task's instance is disposed
/// and replaced by a fresh one, and an instance whose call was abandoned is never called again. A concurrent delegate
/// node's actor only holds the tasks that found no free slot (<see cref="NodeSlots"/>) until one frees.
/// </summary>
internal sealed class NodeActor<TState, TUpdate>(NodeDefinition<TState, TUpdate> node, ActorTaskExecutor<TState, TUpdate> executor, NodeSlots? slots, ILogger logger)
    : IActor<NodeTask<TState, TUpdate>>, IAsyncDisposable
{
    private readonly NodeInstances<TState, TUpdate>? instances = node.Kind == NodeKind.Factory ? new(node, logger) : null;

    public ValueTask ReceiveAsync(NodeTask<TState, TUpdate> message, ActorContext context) =>
        slots is null ? executor.RunTrampolined(message.Run, message.Task, instances) : executor.RunQueuedAsync(message, slots);

    public ValueTask DisposeAsync() => instances?.DisposeAsync() ?? default;
}
