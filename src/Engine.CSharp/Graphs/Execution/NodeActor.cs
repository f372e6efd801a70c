using Graph.Engine.Actors;

namespace Graph.Engine.Graphs;

/// <summary>
/// The actor behind one node of a compiled graph, shared by all its runs. A factory node's instance lives with
/// the actor: it is created on the first task and, when a task finally fails, the actor throws after reporting
/// the failure to the run, so its supervisor restarts it with a fresh instance.
/// </summary>
internal sealed class NodeActor<TState, TUpdate>(NodeDefinition<TState, TUpdate> node, ActorTaskExecutor<TState, TUpdate> executor) : IActor<NodeTask<TState, TUpdate>>, IAsyncDisposable
{
    private INode<TState, TUpdate>? _instance;

    public ValueTask ReceiveAsync(NodeTask<TState, TUpdate> message, ActorContext context)
    {
        var (run, task) = message;
        if (node.Kind == NodeKind.Factory && _instance is null)
        {
            try
            {
                _instance = node.Factory!()
                    ?? throw new InvalidOperationException($"Run '{run.RunId}': the factory of node '{node.Name}' returned null in step {task.Step}; it must return an instance.");
            }
#pragma warning disable CA1031 // Reported to the run as the task's failure.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                run.OnTaskCompleted(task.Index, default, new NodeFailedException(node.Name, task.Step, task.Index, 1, exception));
                return default;
            }
        }

        var pending = executor.RunTrampolined(run, task, _instance);
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result ? default : FailInstance(task);
        }

        return AwaitAsync(pending, task);
    }

    public async ValueTask DisposeAsync()
    {
        switch (Interlocked.Exchange(ref _instance, null))
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private async ValueTask AwaitAsync(ValueTask<bool> pending, PlannedTask<TState, TUpdate> task)
    {
        if (!await pending.ConfigureAwait(false))
        {
            await FailInstance(task).ConfigureAwait(false);
        }
    }

    /// <summary>A stateless node just carries on; a factory node's instance is replaced through its supervisor.</summary>
    private ValueTask FailInstance(PlannedTask<TState, TUpdate> task) =>
        _instance is null
            ? default
            : ValueTask.FromException(new NodeInstanceFaultedException(node.Name, task.Step));
}
