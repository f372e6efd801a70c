using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

// The supervisor's side that its children call: failure reports and stop notices, answered through the loop.
internal sealed partial class SupervisorActor
{
    // ---- The children's side: called on their own loops. ----

    public async ValueTask<ChildFailureDirective> OnChildFailedAsync(ActorRef child, Exception exception, object? message)
    {
        if (_closed.IsCancellationRequested)
        {
            return ChildFailureDirective.Stop;
        }

        var report = new FailureReport(child, exception, message);
        if (_byRef.TryGetValue(child, out var entry))
        {
            lock (entry.Sync)
            {
                if (entry.Suspending)
                {
                    // The supervisor is taking this child's place for a group restart: the instance is replaced anyway.
                    return ChildFailureDirective.Resume;
                }

                entry.Pending = report;
            }
        }

        _pending.TryAdd(report, 0);
        if (_closed.IsCancellationRequested || _place.Cell.TryPost(new ChildFailedCommand(report)) != PostResult.Accepted)
        {
            report.Complete(RestartDecision.Stop);
        }

        RestartDecision decision;
        try
        {
            decision = await report.Task.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(report, out _);
        }

        if (decision.Directive != SupervisorDirective.Restart)
        {
            // Escalate stops the child here; the escalation itself is the supervisor's business.
            return decision.Directive == SupervisorDirective.Resume ? ChildFailureDirective.Resume : ChildFailureDirective.Stop;
        }

        // One-for-one in place: the restart delay is waited here, on the child's own loop, which handles nothing meanwhile.
        if (decision.Delay > TimeSpan.Zero)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token, child.StoppingToken);
            try
            {
                await Task.Delay(decision.Delay, Time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ChildFailureDirective.Stop;
            }
        }

        if (_closed.IsCancellationRequested || !child.IsAccepting)
        {
            return ChildFailureDirective.Stop;
        }

        OnRestarted(decision.ChildId, child.Path, decision.Attempt, decision.Delay);
        return ChildFailureDirective.Restart;
    }

    public void OnChildStopped(ActorRef child, StopCause cause, Exception? reason)
    {
        if (!_closed.IsCancellationRequested && _byRef.ContainsKey(child))
        {
            _place.Cell.TryPost(new ChildStoppedCommand(child, cause, reason));
        }
    }
}
