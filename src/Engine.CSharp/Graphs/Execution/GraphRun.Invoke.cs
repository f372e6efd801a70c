using Polly;

namespace Graph.Engine.Graphs;

/// <summary>Calling a node: its context, its retry policy or resilience pipeline, and the per-attempt timeout.</summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private ValueTask<NodeResult<TUpdate>> InvokeAsync(in PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, CancellationToken token)
    {
        var node = task.Node;
        var scope = persistence is null ? null : new InterruptScope(taskIds[task.Index], resumeValues[task.Index] ?? []);
        var context = new NodeContext(this, node.Name, task.Step, task.Index, attempt, token, scope);
        return node.Kind switch
        {
            NodeKind.Worker => node.Worker!(task.Argument, context),
            NodeKind.Factory => instance!.InvokeAsync(state, context),
            _ => node.Function!(state, context),
        };
    }

    private async ValueTask<NodeResult<TUpdate>> InvokeWithPoliciesAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance)
    {
        var node = task.Node;
        var runToken = cts.Token;
        if (node.Pipeline is not { } pipeline)
        {
            // A timeout alone: one attempt.
            try
            {
                return await AttemptAsync(task, instance, 1, runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
            {
                throw new NodeFailedException(node.Name, task.Step, task.Index, 1, ex);
            }
        }

        var attempts = new PolicyAttempts(this, task, instance);
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

    private ValueTask<NodeResult<TUpdate>> AttemptAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, CancellationToken token) =>
        task.Node.Options.Timeout is { } timeout && timeout != Timeout.InfiniteTimeSpan
            ? AttemptWithTimeoutAsync(task, instance, attempt, timeout, token)
            : InvokeAsync(task, instance, attempt, token);

    private async ValueTask<NodeResult<TUpdate>> AttemptWithTimeoutAsync(PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance, int attempt, TimeSpan timeout, CancellationToken token)
    {
        using var attemptCts = new CancellationTokenSource(timeout, options.TimeProvider);
        using var link = token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), attemptCts);
        try
        {
            return await InvokeAsync(task, instance, attempt, attemptCts.Token).AsTask().WaitAsync(attemptCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (attemptCts.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new TimeoutException($"Node '{task.Node.Name}' timed out after {timeout} (step {task.Step}, attempt {attempt}).", ex);
        }
    }

    /// <summary>The attempts of one task: each call of <see cref="NextAsync"/> is the next attempt.</summary>
    private sealed class PolicyAttempts(GraphRun<TState, TUpdate> run, PlannedTask<TState, TUpdate> task, INode<TState, TUpdate>? instance)
        : NodeAttempt(run.RunId, task.Node.Name, task.Step)
    {
        public ValueTask<NodeResult<TUpdate>> NextAsync(CancellationToken token)
        {
            Count++;
            return run.AttemptAsync(task, instance, Count, token);
        }
    }
}
