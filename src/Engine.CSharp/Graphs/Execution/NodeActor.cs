using Graph.Engine.Actors;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The actor behind one node of a compiled graph, shared by all its runs. A factory node's instances live with the
/// actor (<see cref="NodeInstances{TState, TUpdate}"/>): each task rents one, a failed task's instance is disposed
/// and replaced by a fresh one, and an instance whose call was abandoned is never called again. A task's failure is
/// its run's business; only an instance fault (the node's factory threw or returned null) fails the actor, after the
/// run has been told, so that its supervisor restarts it with a fresh pool (<see cref="GraphCompileOptions.NodeSupervision"/>).
/// A concurrent delegate node's actor only holds the tasks that found no free slot (<see cref="NodeSlots"/>) until one frees.
/// </summary>
internal sealed class NodeActor<TState, TUpdate>(NodeDefinition<TState, TUpdate> node, ActorTaskExecutor<TState, TUpdate> executor, NodeSlots? slots, ILogger logger)
    : IActor<NodeTask<TState, TUpdate>>, IAsyncDisposable
{
    private readonly NodeInstances<TState, TUpdate>? instances = node.Kind == NodeKind.Factory ? new(node, logger) : null;

    public ValueTask ReceiveAsync(NodeTask<TState, TUpdate> message, ActorContext context)
    {
        if (slots is not null)
        {
            return executor.RunQueuedAsync(message, slots);
        }

        var pending = executor.RunTrampolined(message.Run, message.Task, instances);
        if (instances is null)
        {
            return pending;
        }

        if (!pending.IsCompleted)
        {
            return FaultAfterAsync(pending, instances);
        }

        pending.GetAwaiter().GetResult();
        return instances.TakeFault() is { } fault ? ValueTask.FromException(fault) : default;
    }

    private static async ValueTask FaultAfterAsync(ValueTask pending, NodeInstances<TState, TUpdate> instances)
    {
        await pending.ConfigureAwait(false);
        if (instances.TakeFault() is { } fault)
        {
            throw fault;
        }
    }

    public ValueTask DisposeAsync() => instances?.DisposeAsync() ?? default;
}
