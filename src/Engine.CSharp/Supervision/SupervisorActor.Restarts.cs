using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

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
        catch (ObjectDisposedException)
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

    /// <summary>Starts a child that had exited; false when it did not start (its restart is retried, or the supervisor is stopping).</summary>
    private async Task<bool> RespawnAsync(ChildEntry entry, int attempt, TimeSpan delay)
    {
        if (IsStopping)
        {
            return false;
        }

        ActorRef started;
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

        OnRestarted(entry.Id, started.Path, attempt, delay);
        return true;
    }

    /// <summary>
    /// One-for-all and rest-for-one: take the place of every other member in reverse start order (each per its
    /// shutdown; temporary ones are stopped for good), wait the delay, then start them all in start order:
    /// fresh instances in place (queued messages kept) or fresh actors for those that had exited.
    /// </summary>
    private async Task GroupRestartAsync(ChildEntry trigger, int attempt, TimeSpan delay)
    {
        List<ChildEntry> members;
        lock (_sync)
        {
            members = Options.Strategy == SupervisionStrategy.OneForAll
                ? [.. _children]
                : [.. _children.Skip(_children.IndexOf(trigger))];
        }

        var suspended = new List<(ChildEntry Entry, int Held, FailureReport? Report)>();
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
                    await StopChildAsync(member).ConfigureAwait(false);
                    RemoveEntry(member);
                    continue;
                }

                FailureReport? report;
                lock (member.Sync)
                {
                    report = member.Pending;
                    member.Suspending = report is null;
                }

                var held = report is null ? 0 : 1;
                if (await child.SuspendAsync(member.Spec.Shutdown.Timeout, held).ConfigureAwait(false))
                {
                    suspended.Add((member, held, report));
                }
                else
                {
                    // It is stopping on its own: its exit arrives later and is handled then.
                    lock (member.Sync)
                    {
                        member.Suspending = false;
                    }

                    report?.Complete(RestartDecision.Stop);
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
                var index = suspended.FindIndex(s => s.Entry == member);
                var memberAttempt = member == trigger ? attempt : NextAttempt(member);
                if (index >= 0)
                {
                    var (entry, held, report) = suspended[index];
                    suspended.RemoveAt(index);
                    var child = entry.Ref!;
                    var created = child.ResumeSuspended(true);
                    lock (entry.Sync)
                    {
                        entry.Suspending = false;
                        if (ReferenceEquals(entry.Pending, report))
                        {
                            entry.Pending = null;
                        }
                    }

                    report?.Complete(RestartDecision.Resume);
                    if (!created)
                    {
                        // Its factory threw and it stops as failed; that exit restarts the group again.
                        await LeaveUnstartedAsync(members, m + 1, suspended).ConfigureAwait(false);
                        return;
                    }

                    OnRestarted(entry.Id, child.Path, memberAttempt, delay);
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
            foreach (var (entry, held, report) in suspended)
            {
                entry.Ref?.ResumeSuspended(false);
                lock (entry.Sync)
                {
                    entry.Suspending = false;
                }

                report?.Complete(RestartDecision.Stop);
            }
        }
    }

    /// <summary>
    /// As OTP's group restart: a member failed to start, so the members after it stay unstarted until the retry
    /// (OTP's <c>try_again_restart</c>) restarts the group. Those still held are stopped; their instances are gone.
    /// </summary>
    private async Task LeaveUnstartedAsync(List<ChildEntry> members, int from, List<(ChildEntry Entry, int Held, FailureReport? Report)> suspended)
    {
        for (var i = from; i < members.Count; i++)
        {
            var member = members[i];
            var index = suspended.FindIndex(s => s.Entry == member);
            if (index < 0)
            {
                continue;
            }

            var (entry, _, report) = suspended[index];
            suspended.RemoveAt(index);
            entry.Ref?.ResumeSuspended(false);
            lock (entry.Sync)
            {
                entry.Suspending = false;
            }

            report?.Complete(RestartDecision.Stop);
            await StopChildAsync(entry).ConfigureAwait(false);
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
        await CloseAsync().ConfigureAwait(false);
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

    private async Task<ActorRef> StartEntryAsync(ChildEntry entry)
    {
        _closed.Token.ThrowIfCancellationRequested();
        var started = await entry.Spec.StartAsync(_place.Cell, this).ConfigureAwait(false);
        lock (entry.Sync)
        {
            entry.Pending = null;
            entry.Suspending = false;
        }

        entry.ExpectedStop = false;
        entry.Restarting = false;
        entry.Supervisor = started.Supervisor;
        entry.Ref = started.Ref;
        _byRef[started.Ref] = entry;
        _place.SetLive(entry.Id, started);
        Publish(new ChildStarted(Path, Now, entry.Id, started.Ref.Path));
        SupervisorLog.ChildStarted(Log, Path, entry.Id);
        return started.Ref;
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
