using Graph.Engine.Diagnostics;

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
        if (node.Options.ResiliencePipeline is { } pipeline)
        {
            var attempts = 0;
            try
            {
                return await pipeline.ExecuteAsync(
                    ct =>
                    {
                        attempts++;
                        return AttemptAsync(task, instance, attempts, ct);
                    },
                    runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
            {
                throw new NodeFailedException(node.Name, task.Step, task.Index, Math.Max(1, attempts), ex);
            }
        }

        var retry = node.Options.Retry;
        var maxAttempts = retry?.MaxAttempts ?? 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(task, instance, attempt, runToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!runToken.IsCancellationRequested && ex is not NodeInterruptException)
            {
                if (attempt >= maxAttempts || (retry!.ShouldRetry is { } filter && !filter(ex)))
                {
                    throw new NodeFailedException(node.Name, task.Step, task.Index, attempt, ex);
                }

                GraphLog.NodeRetry(logger, ex, RunId, node.Name, task.Step, attempt);

                var delay = retry.GetDelay(attempt + 1);
                if (retry.Jitter)
                {
                    delay = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, options.TimeProvider, runToken).ConfigureAwait(false);
                }
            }
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
}
