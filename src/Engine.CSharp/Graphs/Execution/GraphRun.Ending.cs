using System.Diagnostics;
using Graph.Engine.Checkpoints;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The run's single end: finished (joins left partial are reported), interrupted or failed; with persistence the
/// store is flushed first; then the events, metrics, registrations and the completion.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private void Finish()
    {
        List<JoinSkippedEvent>? skipped = null;
        for (var j = 0; j < joinMasks.Length; j++)
        {
            var mask = joinMasks[j];
            if (mask != 0)
            {
                var join = model.Joins[j];
                var finishedSources = join.Sources.Where((_, i) => (mask & (1UL << i)) != 0).ToArray();
                var missing = join.Sources.Where((_, i) => (mask & (1UL << i)) == 0).ToArray();
                var e = new JoinSkippedEvent(RunId, step, join.Target, finishedSources, missing);
                (skipped ??= []).Add(e);
                events.JoinSkipped(e);
                GraphLog.JoinSkipped(logger, RunId, join.Target);
            }
        }

        Complete(skipped is not null && options.JoinSkipped == JoinSkippedPolicy.Fail ? new JoinSkippedException(skipped) : null, null);
    }

    private void Fail(Exception error) => Complete(error, null);

    /// <summary>
    /// Ends the run once: finished (no error, no interrupts), interrupted or failed. With persistence, waits for the
    /// store (writes and checkpoints in flight; AtExit's single put) before the run's completion is set.
    /// </summary>
    private void Complete(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        if ((Interlocked.Or(ref endFlags, Finished) & Finished) != 0)
        {
            return;
        }

        if (error is not null)
        {
            CancelTasks(); // siblings stop now; their late reports are ignored
        }

        if (persistence is null || !persistence.Close())
        {
            Finalize(error, interrupts);
            return;
        }

        _ = FlushThenFinalizeAsync(error, interrupts);
    }

    private async Task FlushThenFinalizeAsync(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        try
        {
            await persistence!.FlushAsync().ConfigureAwait(false);
            if (persistence.Durability == CheckpointDurability.AtExit && persistence.Held is { } held)
            {
                events.CheckpointSaved(held.Step, held.ThreadId, held.Id, held.Metadata.Source);
            }
        }
        catch (Exception ex)
        {
            error ??= ex;
            interrupts = null;
        }

        Finalize(error, interrupts);
    }

    private void Finalize(Exception? error, IReadOnlyList<GraphInterrupt>? interrupts)
    {
        if (error is null && interrupts is null)
        {
            events.RunFinished(step, state);
            ReturnBuffers(); // every task has reported (and been recorded, with persistence): nothing reads them any more

            Cleanup();
            TrySetResult(state);
            ReleaseThread();
            return;
        }

        if (error is null)
        {
            events.Interrupted(step, CheckpointId, interrupts!);
            Cleanup();
            TrySetException(new GraphInterruptedException(ThreadId, CheckpointId, interrupts!, state));
            ReleaseThread();
            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        if (error is not OperationCanceledException)
        {
            GraphLog.RunFailed(logger, error, RunId, step);
        }

        events.RunFailed(step, error);
        Cleanup();
        if (error is OperationCanceledException && userToken.IsCancellationRequested)
        {
            TrySetCanceled(userToken);
        }
        else
        {
            TrySetException(error);
        }

        ReleaseThread();
        CancelTasks();
    }

    private void Cleanup()
    {
        CallerRuns?.Remove(this);
        extras?.CancelRegistration.Dispose();
        events.Complete();
        GraphMetrics.RunsInFlight.Add(-1);
        model.Control.Drain.Exit(coreStripe);
        activity?.Dispose();
        if (HasTimeout)
        {
            // Stops the timer (an infinite timeout has none, and its source may not exist); tasks still running
            // observe a cancelled (or never-cancelled) token either way.
            Volatile.Read(ref cts)?.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }
}
