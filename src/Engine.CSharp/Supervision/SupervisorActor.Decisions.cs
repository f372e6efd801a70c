using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

// The supervisor's decisions on its loop: a child's failure or exit, the restart type and the decider.
internal sealed partial class SupervisorActor
{
    private async Task HandleFailureAsync(ChildFailedCommand failed)
    {
        var child = failed.Child;
        if (!_byRef.TryGetValue(child, out var entry))
        {
            child.StopAfterFailure(failed.Failure, failed.Exception);
            return;
        }

        if (!child.IsSuspendedBy(failed.Failure))
        {
            return; // absorbed: a group restart or a stop took this instance's place since
        }

        var directive = Decide(entry, failed);
        Publish(new ChildFailed(Path, Now, entry.Id, child.Path, failed.Exception, failed.Message, directive));
        SupervisorLog.ChildFailed(Log, failed.Exception, Path, entry.Id, directive);
        switch (directive)
        {
            case SupervisorDirective.Resume:
                child.ResumeAfterFailure(failed.Failure);
                return;
            case SupervisorDirective.Escalate:
                await FailAsync(new ChildEscalatedException(Path, entry.Id, failed.Exception)).ConfigureAwait(false);
                return;
            case SupervisorDirective.Restart when entry.Spec.Restart != RestartType.Temporary:
                break;
            default:
                // Stop, or a temporary child: it stops as faulted and is not restarted.
                entry.ExpectedStop = true;
                child.StopAfterFailure(failed.Failure, failed.Exception);
                return;
        }

        await RecordRestartAsync(entry, failed.Exception).ConfigureAwait(false);
        var (attempt, delay) = NextDelay(entry);
        if (Options.Strategy != SupervisionStrategy.OneForOne)
        {
            await GroupRestartAsync(entry, attempt, delay).ConfigureAwait(false);
            return;
        }

        if (delay == TimeSpan.Zero)
        {
            RestartInPlace(entry, child, failed.Failure, attempt, delay);
            return;
        }

        // The child stays suspended (its queue waits) until the delay has passed.
        _ = PostAfterDelayAsync(new RestartDueCommand(entry, child, failed.Failure, attempt, delay), delay);
    }

    private Task HandleRestartDue(RestartDueCommand due)
    {
        if (due.Entry.Ref == due.Child && due.Child.IsSuspendedBy(due.Failure) && !IsStopping)
        {
            RestartInPlace(due.Entry, due.Child, due.Failure, due.Attempt, due.Delay);
        }

        return Task.CompletedTask;
    }

    private void RestartInPlace(ChildEntry entry, ActorRef child, long failure, int attempt, TimeSpan delay)
    {
        child.RestartAfterFailure(failure, entry.Spec.Shutdown.Timeout);
        OnRestarted(entry.Id, child.Path, attempt, delay);
    }

    private SupervisorDirective Decide(ChildEntry entry, ChildFailedCommand failed)
    {
        SupervisorDirective directive;
        try
        {
            directive = Options.Decider(new ChildFailure(entry.Id, failed.Child, failed.Exception, failed.Message));
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

    private async Task HandleStoppedAsync(ChildStoppedCommand stopped)
    {
        if (!_byRef.Remove(stopped.Child, out var entry))
        {
            return; // stopped by this supervisor (already accounted for) or from an earlier incarnation
        }

        entry.Ref = null;
        entry.Supervisor = null;
        var kind = stopped.Cause switch
        {
            StopCause.Normal => ChildExitKind.Normal,
            StopCause.Shutdown => ChildExitKind.Shutdown,
            _ => ChildExitKind.Failure,
        };
        if (entry.ExpectedStop)
        {
            entry.ExpectedStop = false;
            OnExited(entry, stopped.Child.Path, kind, stopped.Reason, false, stopped.Child.ExitTerm);
            return;
        }

        await HandleExitAsync(entry, stopped.Child.Path, kind, stopped.Reason, stopped.Child.ExitTerm).ConfigureAwait(false);
    }

    /// <summary>A child's actor is gone (exited, or its restart failed): restart it per its type and the strategy.</summary>
    private async Task HandleExitAsync(ChildEntry entry, string childPath, ChildExitKind kind, Exception? reason, object? term = null)
    {
        var restart = entry.Spec.Restart switch
        {
            RestartType.Permanent => true,
            RestartType.Transient => kind == ChildExitKind.Failure,
            _ => false,
        };
        OnExited(entry, childPath, kind, reason, restart, term);
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

    private void OnExited(ChildEntry entry, string childPath, ChildExitKind kind, Exception? reason, bool willRestart, object? term)
    {
        Publish(new ChildExited(Path, Now, entry.Id, childPath, kind, reason, willRestart) { Term = term });
        SupervisorLog.ChildExited(Log, Path, entry.Id, kind, willRestart);
        if (!willRestart && entry.Spec.Restart == RestartType.Temporary)
        {
            RemoveEntry(entry);
        }

        if (!willRestart && entry.Spec.Significant)
        {
            AutoShutdownAfter(entry);
        }
    }

    /// <summary>A significant child exited on its own for good: the supervisor shuts itself down when its rule says so (OTP's auto_shutdown).</summary>
    private void AutoShutdownAfter(ChildEntry exited)
    {
        var shutDown = Options.AutoShutdown switch
        {
            AutoShutdown.AnySignificant => true,
            AutoShutdown.AllSignificant => !_children.Exists(c => c != exited && c.Spec.Significant && (c.Ref is not null || c.Restarting)),
            _ => false,
        };
        if (shutDown)
        {
            SupervisorLog.AutoShutdown(Log, Path, exited.Id);
            _ = _place.Cell.StopCoreAsync(StopCause.Shutdown, null, null);
        }
    }
}
