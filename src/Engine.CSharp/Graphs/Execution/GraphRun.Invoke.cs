using Polly;

namespace Graph.Engine.Graphs;

/// <summary>Calling a node: its context, its retry policy or resilience pipeline, and the per-attempt and idle timeouts.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private ValueTask<NodeResult<TUpdate>> InvokeAsync(in PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, CancellationToken token)
    {
        var node = task.Node;
        var scope = persistence is null ? null : InterruptScope.For(taskIds[task.Index], resumeValues[task.Index]);
        var context = new NodeContext(this, node.Name, task.Step, task.Index, attempt, token, scope);
        return node.Kind switch
        {
            NodeKind.Worker => node.Worker!(task.Argument, context),
            NodeKind.Factory => instance!.InvokeAsync(InputOf(task), context),
            _ => node.Function!(InputOf(task), context),
        };
    }

    private async ValueTask<NodeResult<TUpdate>> InvokeWithPoliciesAsync(PolicyAttempts attempts)
    {
        var task = attempts.Task;
        var node = task.Node;
        var runToken = CancellationToken;
        if (node.Pipeline is not { } pipeline)
        {
            // A timeout alone: one attempt.
            try
            {
                return await attempts.NextAsync(runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
            {
                throw new NodeFailedException(node.Name, task.Step, task.Index, 1, ex);
            }
        }

        var context = ResilienceContextPool.Shared.Get(runToken);
        context.Properties.Set(NodeAttempt.Key, attempts);
        try
        {
            return await pipeline.ExecuteAsync(static (ctx, a) => a.NextAsync(ctx.CancellationToken), context, attempts).ConfigureAwait(false);
        }
        catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
        {
            throw new NodeFailedException(node.Name, task.Step, task.Index, Math.Max(1, attempts.Count), ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt under the node's <see cref="NodeOptions.Timeout"/> and/or <see cref="NodeOptions.IdleTimeout"/>
    /// (a deadline pushed back by each heartbeat). The attempt gives up at either deadline (or when the run ends) even
    /// if the node ignores its token; a factory instance whose call is then still running is quarantined (never called
    /// again, disposed when the call returns) and the next attempt rents another.
    /// </summary>
    private async ValueTask<NodeResult<TUpdate>> AttemptWithTimeoutAsync(PolicyAttempts attempts, int attempt, TimeSpan? timeout, TimeSpan? idleTimeout, CancellationToken token)
    {
        var task = attempts.Task;
        var instance = attempts.Instance ??= attempts.Instances?.Rent(RunId, task.Step);
        using var attemptCts = timeout is { } hard ? new CancellationTokenSource(hard, options.TimeProvider) : new CancellationTokenSource();
        using var link = token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), attemptCts);
        var idle = idleTimeout is { } i ? StartIdleDeadline(task, attempt, i, attemptCts) : null;
        var call = InvokeAsync(task, instance, attempt, attemptCts.Token).AsTask();
        try
        {
            return await call.WaitAsync(attemptCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (attemptCts.IsCancellationRequested)
        {
            if (instance is not null && !call.IsCompleted)
            {
                attempts.Instance = null;
                attempts.Instances!.Quarantine(instance, call);
            }

            if (token.IsCancellationRequested)
            {
                throw;
            }

            if (idle is { Expired: true })
            {
                throw new TimeoutException($"Node '{task.Node.Name}' was idle for {idleTimeout} without a heartbeat (step {task.Step}, attempt {attempt}; NodeOptions.IdleTimeout).", ex);
            }

            throw new TimeoutException($"Node '{task.Node.Name}' timed out after {timeout} (step {task.Step}, attempt {attempt}).", ex);
        }
        finally
        {
            if (idle is not null)
            {
                StopIdleDeadline(task, idle);
            }
        }
    }

    /// <summary>
    /// The attempts of one task: each call of <see cref="NextAsync"/> is the next attempt, on <see cref="Instance"/>
    /// for a factory node (rented again after a quarantine).
    /// </summary>
    private sealed class PolicyAttempts(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task, NodeInstances<TState, TUpdate>? instances, INode<TState, TUpdate>? instance)
        : NodeAttempt(run.RunId, task.Node.Name, task.Step)
    {
        public PlannedTask<TState, TUpdate> Task { get; } = task;

        public NodeInstances<TState, TUpdate>? Instances { get; } = instances;

        /// <summary>The instance the next attempt calls; null after its call was abandoned.</summary>
        public INode<TState, TUpdate>? Instance { get; set; } = instance;

        public ValueTask<NodeResult<TUpdate>> NextAsync(CancellationToken token)
        {
            Count++;
            var timeout = Task.Node.Options.Timeout is { } t && t != Timeout.InfiniteTimeSpan ? t : (TimeSpan?)null;
            var idle = Task.Node.Options.IdleTimeout is { } i && i != Timeout.InfiniteTimeSpan ? i : (TimeSpan?)null;
            if (timeout is not null || idle is not null)
            {
                return run.AttemptWithTimeoutAsync(this, Count, timeout, idle, token);
            }

            Instance ??= Instances?.Rent(run.RunId, Task.Step);
            return run.InvokeAsync(Task, Instance, Count, token);
        }
    }
}
