using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The instances of one factory node, owned by its actor. A task rents one, so an instance runs one task at a time;
/// after a success or an interrupt it goes back to the pool, after a failure it is disposed, and an instance whose
/// call was abandoned (its attempt timed out, or its run ended, while the call kept running) is quarantined: never
/// called again, disposed only once that call has returned. The pool holds at most as many instances as the node
/// runs tasks at once (its parallelism). A factory that throws or returns null fails the task and is recorded as an
/// instance fault, which the actor takes after the task (<see cref="TakeFault"/>) to fail and be restarted.
/// </summary>
internal sealed class NodeInstances<TState, TUpdate>(NodeDefinition<TState, TUpdate> node, ILogger logger) : IAsyncDisposable
{
    private readonly Stack<INode<TState, TUpdate>> free = new();
    private bool disposed;
    private Exception? fault;

    /// <summary>A free instance, or a new one from the node's factory.</summary>
    /// <exception cref="InvalidOperationException">The factory returned null (the message names run, node and step).</exception>
    public INode<TState, TUpdate> Rent(string runId, int step)
    {
        lock (free)
        {
            if (free.TryPop(out var instance))
            {
                return instance;
            }
        }

        try
        {
            return node.Factory!()
                ?? throw new InvalidOperationException($"Run '{runId}': the factory of node '{node.Name}' returned null in step {step}; it must return an instance.");
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref fault, ex, null);
            throw;
        }
    }

    /// <summary>The instance fault recorded since the last call, as the exception the node actor fails with; null when none.</summary>
    public Exception? TakeFault() =>
        Interlocked.Exchange(ref fault, null) is { } cause
            ? new NodeInstanceFaultException(node.Name, cause)
            : null;

    /// <summary>Gives back an instance whose task succeeded (or was interrupted); disposes it when the pool is closed.</summary>
    public ValueTask ReturnAsync(INode<TState, TUpdate> instance)
    {
        lock (free)
        {
            if (!disposed)
            {
                free.Push(instance);
                return default;
            }
        }

        return DisposeInstanceAsync(instance);
    }

    /// <summary>Disposes an instance whose task failed: the next task gets a fresh one.</summary>
    public ValueTask DropAsync(INode<TState, TUpdate> instance) => DisposeInstanceAsync(instance);

    /// <summary>Takes an instance whose call still runs out of use for good; it is disposed once <paramref name="call"/> ends.</summary>
    public void Quarantine(INode<TState, TUpdate> instance, Task call) =>
        _ = call.ContinueWith(
            static (_, s) =>
            {
                var (self, abandoned) = ((NodeInstances<TState, TUpdate>, INode<TState, TUpdate>))s!;
                return self.DisposeInstanceAsync(abandoned).AsTask();
            },
            (this, instance),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();

    /// <summary>Disposes the free instances; instances still in use are disposed when they come back.</summary>
    public async ValueTask DisposeAsync()
    {
        INode<TState, TUpdate>[] instances;
        lock (free)
        {
            disposed = true;
            instances = [.. free];
            free.Clear();
        }

        foreach (var instance in instances)
        {
            await DisposeInstanceAsync(instance).ConfigureAwait(false);
        }
    }

    private async ValueTask DisposeInstanceAsync(INode<TState, TUpdate> instance)
    {
        try
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
#pragma warning disable CA1031 // A node's failing Dispose must not fail the actor or another run: logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            GraphLog.InstanceDisposeFailed(logger, exception, node.Name);
        }
    }
}
