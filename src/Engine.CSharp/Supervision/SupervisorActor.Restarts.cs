using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Supervision;

// The supervisor's restarts on its loop: delays, one child's respawn, group restarts (one_for_all, rest_for_one) and intensity.
internal sealed partial class SupervisorActor
{
    private async Task PostAfterDelayAsync(SupervisorCommand command, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, Time, _closed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _place.Cell.TryPost(command);
    }

    private async Task HandleRespawnDueAsync(RespawnDueCommand due)
    {
        var entry = due.Entry;
        if (!entry.Restarting || !Contains(entry))
        {
            return;
        }

        entry.Restarting = false;
        await RespawnAsync(entry, due.Attempt, due.Delay).ConfigureAwait(false);
    }

    private async Task HandleRetryAsync(RetryRestartCommand retry)
    {
        var entry = retry.Entry;
        if (entry.Ref is null && !entry.Restarting && Contains(entry))
        {
            await HandleExitAsync(entry, _place.Path + "/" + entry.Id, ChildExitKind.Failure, retry.Failure).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a child that had exited; false when it did not start (its restart is retried, or the supervisor is stopping); true also when its start was ignored.</summary>
    private async Task<bool> RespawnAsync(ChildEntry entry, int attempt, TimeSpan delay)
    {
        if (IsStopping)
        {
            return false;
        }

        ActorRef? started;
        try
        {
            started = await StartEntryAsync(entry).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A start that races the supervisor's own stop ends as that stop, whatever it threw.
        catch (Exception) when (IsStopping)
#pragma warning restore CA1031
        {
            return false;
        }
        catch (Exception exception)
        {
            // As OTP: a failed restart is tried again, and counts towards the restart intensity.
            SupervisorLog.RestartFailed(Log, exception, Path, entry.Id);
            _place.Cell.TryPost(new RetryRestartCommand(entry, exception));
            return false;
        }

        if (IsStopping)
        {
            return false;
        }

        if (started is null)
        {
            // Ignored by its start (OTP: kept with no process): not a restart, and nothing to retry.
            return true;
        }

        OnRestarted(entry.Id, started.Path, attempt, delay);
        return true;
    }

    /// <summary>
    /// One-for-all and rest-for-one: suspend every member in reverse start order (each per its shutdown; a member
    /// suspended by its own failure is taken over; temporary ones are stopped for good), wait the delay, then
    /// start them all in start order: fresh instances in place (queued messages kept or dead-lettered, per
    /// <see cref="SupervisorOptions.QueuedOnGroupRestart"/>) or fresh actors for those that had exited.
    /// </summary>
    private async Task GroupRestartAsync(ChildEntry trigger, int attempt, TimeSpan delay)
    {
        List<ChildEntry> members = Options.Strategy == SupervisionStrategy.OneForAll
            ? [.. _children]
            : [.. _children.Skip(_children.IndexOf(trigger))];
        var suspended = new List<ChildEntry>();
        try
        {
            for (var i = members.Count - 1; i >= 0; i--)
            {
                var member = members[i];
                var child = member.Ref;
                if (child is null)
                {
                    continue;
                }

                if (member.Spec.Restart == RestartType.Temporary && member != trigger)
                {
                    await StopChildAsync(member, _closed.Token).ConfigureAwait(false);
                    RemoveEntry(member);
                    continue;
                }

                // Not abandoned on the close: a suspension that ends must be released (below), or its pause would hold the child's stop.
                var outcome = await child.SuspendAsync(member.Spec.Shutdown.Timeout, Options.KillTimeout, Options.QueuedOnGroupRestart == QueuedMessages.DeadLetter).ConfigureAwait(false);
                switch (outcome)
                {
                    case SuspendOutcome.Suspended:
                        suspended.Add(member);
                        break;
                    case SuspendOutcome.Abandoned:
                        Abandon(member, child);
                        break;
                    default:
                        break; // It is stopping on its own: its exit arrives later and is handled then.
                }
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, Time, _closed.Token).ConfigureAwait(false);
            }

            for (var m = 0; m < members.Count; m++)
            {
                _closed.Token.ThrowIfCancellationRequested();
                var member = members[m];
                var memberAttempt = member == trigger ? attempt : NextAttempt(member);
                if (suspended.Remove(member))
                {
                    var child = member.Ref!;
                    if (!await child.ResumeSuspendedAsync(true).ConfigureAwait(false))
                    {
                        // Its factory threw and it stops as failed; that exit restarts the group again.
                        await LeaveUnstartedAsync(members, m + 1, suspended).ConfigureAwait(false);
                        return;
                    }

                    OnRestarted(member.Id, child.Path, memberAttempt, delay);
                }
                else if (member.Ref is null && !member.Restarting && member.Spec.Restart != RestartType.Temporary && Contains(member)
                    && !await RespawnAsync(member, memberAttempt, delay).ConfigureAwait(false))
                {
                    // Its restart is retried (RetryRestartCommand), which restarts the group again.
                    await LeaveUnstartedAsync(members, m + 1, suspended).ConfigureAwait(false);
                    return;
                }
            }
        }
        finally
        {
            // Only when the supervisor is closing: release what is still held without starting anything.
            foreach (var entry in suspended)
            {
                if (entry.Ref is { } child)
                {
                    await child.ResumeSuspendedAsync(false).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// As OTP's group restart: a member failed to start, so the members after it stay unstarted until the retry
    /// (OTP's <c>try_again_restart</c>) restarts the group. Those still held are stopped; their instances are gone.
    /// </summary>
    private async Task LeaveUnstartedAsync(List<ChildEntry> members, int from, List<ChildEntry> suspended)
    {
        for (var i = from; i < members.Count; i++)
        {
            var member = members[i];
            if (suspended.Remove(member))
            {
                if (member.Ref is { } child)
                {
                    await child.ResumeSuspendedAsync(false).ConfigureAwait(false);
                }

                await StopChildAsync(member, _closed.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task RecordRestartAsync(ChildEntry entry, Exception? reason)
    {
        if (_window.TryRecord())
        {
            return;
        }

        Publish(new RestartIntensityReached(Path, Now, entry.Id, Options.MaxRestarts, Options.Period));
        SupervisorLog.IntensityReached(Log, Path, Options.MaxRestarts, Options.Period, entry.Id);
        await FailAsync(new RestartIntensityExceededException(Path, entry.Id, Options.MaxRestarts, Options.Period, reason)).ConfigureAwait(false);
    }

    /// <summary>Stops every child (reverse order) and fails the supervisor: its own supervisor (or the system) decides next.</summary>
    private async Task FailAsync(Exception reason)
    {
        Publish(new SupervisorEscalated(Path, Now, reason, _place.IsRoot));
        SupervisorLog.Escalated(Log, reason, Path, _place.IsRoot);
        if (Interlocked.CompareExchange(ref _closeStarted, 1, 0) == 0)
        {
            // On the loop: the close needs no wait for it.
            await CloseCoreAsync().ConfigureAwait(false);
        }

        throw reason;
    }

    private (int Attempt, TimeSpan Delay) NextDelay(ChildEntry entry)
    {
        var attempt = NextAttempt(entry);
        return (attempt, Options.RestartDelay.DelayFor(attempt));
    }

    private int NextAttempt(ChildEntry entry)
    {
        var now = Time.GetTimestamp();
        var policy = Options.RestartDelay;
        var quiet = policy.ResetAfter > TimeSpan.Zero ? policy.ResetAfter : Options.Period;
        if (entry.LastRestart is { } last && Time.GetElapsedTime(last, now) >= quiet)
        {
            entry.Attempt = 0;
        }

        entry.LastRestart = now;
        return ++entry.Attempt;
    }

    /// <summary>Starts a child from its spec; null when its start was ignored (the entry stays, with no actor).</summary>
    private async Task<ActorRef?> StartEntryAsync(ChildEntry entry)
    {
        _closed.Token.ThrowIfCancellationRequested();
        var started = await entry.Spec.StartAsync(_place.Cell, this, _closed.Token).WaitAsync(_closed.Token).ConfigureAwait(false);
        entry.ExpectedStop = false;
        entry.Restarting = false;
        entry.Supervisor = started.Supervisor;
        entry.Ref = started.Ref;
        if (started.Ref is null)
        {
            SupervisorLog.ChildIgnored(Log, Path, entry.Id);
            return null;
        }

        _byRef[started.Ref] = entry;
        Publish(new ChildStarted(Path, Now, entry.Id, started.Ref.Path));
        SupervisorLog.ChildStarted(Log, Path, entry.Id);
        return started.Ref;
    }

    /// <summary>As OTP: an ignored temporary child is not kept.</summary>
    private void DropIfIgnoredTemporary(ChildEntry entry)
    {
        if (entry.Ref is null && entry.Spec.Restart == RestartType.Temporary)
        {
            RemoveEntry(entry);
        }
    }

    private void OnRestarted(string childId, string childPath, int attempt, TimeSpan delay)
    {
        ActorMetrics.Restarts.Add(
            1,
            new KeyValuePair<string, object?>(EngineDiagnostics.SupervisorTag, Path),
            new KeyValuePair<string, object?>(EngineDiagnostics.ChildTag, childId));
        Publish(new ChildRestarted(Path, Now, childId, childPath, attempt, delay));
        SupervisorLog.ChildRestarted(Log, Path, childId, attempt, delay.TotalMilliseconds);
    }
}
