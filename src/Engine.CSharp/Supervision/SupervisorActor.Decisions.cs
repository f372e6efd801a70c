using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

// The supervisor's decisions on its loop: a child's failure or exit, the restart type and the decider.
internal sealed partial class SupervisorActor
{
    private async Task HandleFailureAsync(FailureReport report)
    {
        if (report.IsDecided)
        {
            return; // absorbed by a group restart, or answered while closing
        }

        if (!_byRef.TryGetValue(report.Child, out var entry))
        {
            report.Complete(RestartDecision.Stop);
            return;
        }

        lock (entry.Sync)
        {
            entry.Pending = report;
        }

        var directive = Decide(entry, report);
        Publish(new ChildFailed(Path, Now, entry.Id, report.Child.Path, report.Exception, report.Message, directive));
        SupervisorLog.ChildFailed(Log, report.Exception, Path, entry.Id, directive);
        switch (directive)
        {
            case SupervisorDirective.Resume:
                Answer(entry, report, RestartDecision.Resume);
                return;
            case SupervisorDirective.Escalate:
                await FailAsync(new ChildEscalatedException(Path, entry.Id, report.Exception)).ConfigureAwait(false);
                return;
            case SupervisorDirective.Restart when entry.Spec.Restart != RestartType.Temporary:
                break;
            default:
                // Stop, or a temporary child: it stops as faulted and is not restarted.
                entry.ExpectedStop = true;
                Answer(entry, report, RestartDecision.Stop);
                return;
        }

        await RecordRestartAsync(entry, report.Exception).ConfigureAwait(false);
        var (attempt, delay) = NextDelay(entry);
        if (Options.Strategy == SupervisionStrategy.OneForOne)
        {
            Answer(entry, report, new RestartDecision(SupervisorDirective.Restart, entry.Id, attempt, delay));
            return;
        }

        await GroupRestartAsync(entry, attempt, delay).ConfigureAwait(false);
    }

    private SupervisorDirective Decide(ChildEntry entry, FailureReport report)
    {
        SupervisorDirective directive;
        try
        {
            directive = Options.Decider(new ChildFailure(entry.Id, report.Child, report.Exception, report.Message));
        }
#pragma warning disable CA1031 // A throwing decider escalates rather than leaving the child hanging.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            SupervisorLog.DeciderFailed(Log, exception, Path, entry.Id);
            return SupervisorDirective.Escalate;
        }

        if (!Enum.IsDefined(directive))
        {
            return SupervisorDirective.Escalate;
        }

        // A supervisor child cannot resume: its children were stopped when it failed.
        return directive == SupervisorDirective.Resume && entry.Spec.Kind == ChildKind.Supervisor ? SupervisorDirective.Restart : directive;
    }

    private static void Answer(ChildEntry entry, FailureReport report, RestartDecision decision)
    {
        lock (entry.Sync)
        {
            if (ReferenceEquals(entry.Pending, report))
            {
                entry.Pending = null;
            }
        }

        report.Complete(decision);
    }

    private async Task HandleStoppedAsync(ChildStoppedCommand stopped)
    {
        if (!_byRef.TryRemove(stopped.Child, out var entry))
        {
            return; // stopped by this supervisor (already accounted for) or from an earlier incarnation
        }

        entry.Ref = null;
        entry.Supervisor = null;
        _place.RemoveLive(entry.Id, stopped.Child);
        FailureReport? pending;
        lock (entry.Sync)
        {
            pending = entry.Pending;
            entry.Pending = null;
            entry.Suspending = false;
        }

        pending?.Complete(RestartDecision.Stop);
        var kind = stopped.Cause switch
        {
            StopCause.Normal => ChildExitKind.Normal,
            StopCause.Shutdown => ChildExitKind.Shutdown,
            _ => ChildExitKind.Failure,
        };
        if (entry.ExpectedStop)
        {
            entry.ExpectedStop = false;
            OnExited(entry, stopped.Child.Path, kind, stopped.Reason, false);
            return;
        }

        await HandleExitAsync(entry, stopped.Child.Path, kind, stopped.Reason).ConfigureAwait(false);
    }

    /// <summary>A child's actor is gone (exited, or its restart failed): restart it per its type and the strategy.</summary>
    private async Task HandleExitAsync(ChildEntry entry, string childPath, ChildExitKind kind, Exception? reason)
    {
        var restart = entry.Spec.Restart switch
        {
            RestartType.Permanent => true,
            RestartType.Transient => kind == ChildExitKind.Failure,
            _ => false,
        };
        OnExited(entry, childPath, kind, reason, restart);
        if (!restart)
        {
            return;
        }

        await RecordRestartAsync(entry, reason).ConfigureAwait(false);
        var (attempt, delay) = NextDelay(entry);
        if (Options.Strategy != SupervisionStrategy.OneForOne)
        {
            await GroupRestartAsync(entry, attempt, delay).ConfigureAwait(false);
            return;
        }

        if (delay == TimeSpan.Zero)
        {
            await RespawnAsync(entry, attempt, delay).ConfigureAwait(false);
            return;
        }

        entry.Restarting = true;
        _ = PostAfterDelayAsync(new RespawnDueCommand(entry, attempt, delay), delay);
    }

    private void OnExited(ChildEntry entry, string childPath, ChildExitKind kind, Exception? reason, bool willRestart)
    {
        Publish(new ChildExited(Path, Now, entry.Id, childPath, kind, reason, willRestart));
        SupervisorLog.ChildExited(Log, Path, entry.Id, kind, willRestart);
        if (!willRestart && entry.Spec.Restart == RestartType.Temporary)
        {
            RemoveEntry(entry);
        }
    }
}
