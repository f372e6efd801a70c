using Graph.Engine.Checkpoints;
using Graph.Engine.Supervision;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// The supervisor of one durable run: resumes the thread from its last checkpoint after each node failure (or step failure under
/// <see cref="BranchFailurePolicy.ContinueOthers"/>), with the
/// policy's backoff and restart intensity, and escalates per <see cref="RunSupervision.OnExhausted"/>. It lives as long
/// as the supervised call; its window and attempt count are its own.
/// </summary>
internal sealed class RunSupervisor<TState, TUpdate>
{
    private readonly CompiledGraph<TState, TUpdate> graph;
    private readonly RunSupervision policy;
    private readonly string threadId;
    private readonly RunOptions runOptions;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly RestartWindow window;
    private int attempt;
    private int restarts;
    private long? lastRestart;

    public RunSupervisor(CompiledGraph<TState, TUpdate> graph, RunSupervision policy, RunOptions runOptions, ILogger logger)
    {
        this.graph = graph;
        this.policy = policy;
        this.runOptions = runOptions;
        this.logger = logger;
        threadId = runOptions.ThreadId!;
        time = graph.Options.TimeProvider;
        window = new RestartWindow(policy.MaxRestarts, policy.Period, time);
    }

    /// <summary>
    /// Runs <paramref name="first"/> (a new run or a resume), then resumes the thread after each node or step failure until it
    /// completes or interrupts, or the intensity is exhausted.
    /// </summary>
    /// <param name="first">The first attempt.</param>
    /// <param name="reloadedFrom">When the first attempt reloads an unfinished run (its process died): the checkpoint it resumes; it then waits the first delay and counts as a restart.</param>
    /// <param name="cancellationToken">Cancels the run and the restart delays.</param>
    public async Task<GraphRunResult<TState>> RunAsync(Func<Task<GraphRunResult<TState>>> first, long? reloadedFrom, CancellationToken cancellationToken)
    {
        if (reloadedFrom is { } checkpointId)
        {
            // A reload is a restart: it takes its place in the window (nothing has failed here yet to escalate).
            window.TryRecord();
            restarts++;
            var delay = NextDelay();
            RunSupervisionLog.Reloaded(logger, threadId, checkpointId, delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }

        var next = first;
        while (true)
        {
            try
            {
                return await next().ConfigureAwait(false);
            }
            catch (Exception error) when (FailedTasks(error) is { Count: > 0 } failed && !cancellationToken.IsCancellationRequested)
            {
                var (node, step) = (string.Join(", ", failed.Select(f => f.Node)), failed[0].Step);
                if (!window.TryRecord())
                {
                    RunSupervisionLog.Exhausted(logger, error, threadId, node, step, policy.MaxRestarts, policy.Period, policy.OnExhausted);
                    if (policy.OnExhausted == RunExhaustedAction.Fail)
                    {
                        throw;
                    }

                    return await graph.InterruptFailedAsync(threadId, failed, restarts, cancellationToken).ConfigureAwait(false);
                }

                var delay = NextDelay();
                restarts++;
                RunSupervisionLog.Restarting(logger, error, threadId, node, step, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                next = () => graph.ResumeAsync(threadId, null, runOptions with { CheckpointId = null }, cancellationToken);
            }
        }
    }

    /// <summary>The failed tasks of a restartable failure: one node's, or each of a step's under <see cref="BranchFailurePolicy.ContinueOthers"/>.</summary>
    private static IReadOnlyList<NodeFailedException> FailedTasks(Exception error) => error switch
    {
        NodeFailedException node => [node],
        StepFailedException step => [.. step.InnerExceptions.OfType<NodeFailedException>()],
        _ => [],
    };

    /// <summary>The delay before the next restart; the attempt count starts again after a quiet <see cref="RestartDelay.ResetAfter"/>.</summary>
    private TimeSpan NextDelay()
    {
        var now = time.GetTimestamp();
        var quiet = policy.RestartDelay.ResetAfter > TimeSpan.Zero ? policy.RestartDelay.ResetAfter : policy.Period;
        if (lastRestart is { } last && time.GetElapsedTime(last, now) >= quiet)
        {
            attempt = 0;
        }

        lastRestart = now;
        return policy.RestartDelay.DelayFor(++attempt);
    }
}
