using Graph.Engine.Checkpoints;

namespace Graph.Engine.Graphs;

/// <summary>
/// Asynchronous routers: a router whose <see cref="ValueTask{Route}"/> has not completed when it returns queues its
/// route, and every route after it (routers and commands) queues behind it, so routes apply in the same order as
/// with synchronous routers. The step is planned once the queue is applied.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    /// <summary>Runs one router of <paramref name="source"/> on the current state and applies (or queues) its route.</summary>
    private void ApplyRouter(string source, ConditionalEdge<TState> router)
    {
        if (router.Router is { } sync)
        {
            ApplyOrQueue(source, new ValueTask<Route>(sync(state)), router.Declared);
            return;
        }

        ApplyOrQueue(source, router.AsyncRouter!(state, CancellationToken), router.Declared);
    }

    private void ApplyOrQueue(string source, ValueTask<Route> route, IReadOnlyList<string>? declared)
    {
        if (queuedRoutes is null && route.IsCompletedSuccessfully)
        {
            ApplyRoute(source, route.Result, declared);
            return;
        }

        (queuedRoutes ??= []).Add((source, route, declared));
    }

    /// <summary>Plans the next step now, or once the queued routes are applied.</summary>
    private void PlanAfterRoutes(CheckpointSource source, IReadOnlyList<string> writers, List<GraphInterrupt>? after)
    {
        if (queuedRoutes is null)
        {
            PlanAndContinue(source, writers, after);
        }
        else
        {
            _ = PlanAfterRoutesAsync(source, writers, after);
        }
    }

    /// <summary>Waits for the queued routes, applies them in order, then plans the next step.</summary>
    private async Task PlanAfterRoutesAsync(CheckpointSource source, IReadOnlyList<string> writers, List<GraphInterrupt>? after)
    {
        try
        {
            await ApplyQueuedRoutesAsync().ConfigureAwait(false);
            if (!IsFinished)
            {
                PlanAndContinue(source, writers, after);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private async ValueTask ApplyQueuedRoutesAsync()
    {
        var queued = queuedRoutes!;
        queuedRoutes = null;
        foreach (var (source, route, declared) in queued)
        {
            ApplyRoute(source, await route.ConfigureAwait(false), declared);
        }
    }
}
