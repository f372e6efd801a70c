using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

/// <summary>
/// One incarnation of a supervisor. Every decision runs on the supervisor's own loop (one command at a time);
/// children report through <see cref="IChildFailureHandler"/> by posting a command and, for a failure, waiting
/// on their own loop for the answer. A restart of the supervisor itself creates a fresh incarnation, which
/// starts the children again (OTP: a restarted supervisor has fresh state).
/// </summary>
internal sealed class SupervisorActor : IActor<SupervisorCommand>, IChildFailureHandler, IAsyncDisposable
{
    private readonly Supervisor _place;
    private readonly object _sync = new();
    private readonly List<ChildEntry> _children = [];
    private readonly ConcurrentDictionary<ActorRef, ChildEntry> _byRef = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<FailureReport, byte> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly RestartWindow _window;
    private bool _initialized;
    private Task? _closing;
    private ILogger? _log;

    public SupervisorActor(Supervisor place)
    {
        _place = place;
        _window = new RestartWindow(place.Options.MaxRestarts, place.Options.Period, place.System.TimeProvider);
    }

    private SupervisorOptions Options => _place.Options;

    private ActorSystem System => _place.System;

    private TimeProvider Time => System.TimeProvider;

    private string Path => _place.Path;

    /// <summary>True once this incarnation closes or the supervisor's actor stops: nothing is started any more.</summary>
    private bool IsStopping => _closed.IsCancellationRequested || !_place.Cell.IsAccepting;

    public async ValueTask ReceiveAsync(SupervisorCommand command, ActorContext context)
    {
        if (_closed.IsCancellationRequested)
        {
            command.Reject(new InvalidOperationException($"Supervisor '{Path}' is stopping."));
            return;
        }

        try
        {
            if (command is InitCommand init)
            {
                await HandleInitAsync(init).ConfigureAwait(false);
                return;
            }

            if (!_initialized)
            {
                await InitAsync().ConfigureAwait(false);
            }

            await HandleAsync(command).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (IsStopping)
        {
            // The supervisor is stopping: whatever was under way is abandoned, and that is not a failure.
            command.Reject(new InvalidOperationException($"Supervisor '{Path}' is stopping."));
        }
    }

    /// <summary>The supervisors' logger (category <see cref="SupervisorLog.Category"/>), created on first use.</summary>
    private ILogger Log => _log ??= System.Options.LoggerFactory.CreateLogger(SupervisorLog.Category);

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

    // ---- Stopping: the supervisor's stop hook, its failure, or its replacement. ----

    public Task CloseAsync()
    {
        lock (_sync)
        {
            return _closing ??= CloseCoreAsync();
        }
    }

    /// <summary>
    /// Closes (stops the children) when the incarnation is replaced or the supervisor stops. The close token is
    /// deliberately not disposed: late reports from children of this incarnation still read it.
    /// </summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private async Task CloseCoreAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        foreach (var report in _pending.Keys)
        {
            report.Complete(RestartDecision.Stop);
        }

        ChildEntry[] children;
        lock (_sync)
        {
            children = [.. _children];
        }

        for (var i = children.Length - 1; i >= 0; i--)
        {
            await StopChildAsync(children[i]).ConfigureAwait(false);
        }

        _place.ClearLive();
    }

    /// <summary>Stops a child per its shutdown and waits. Safe from the loop and from the stop hook.</summary>
    private async Task StopChildAsync(ChildEntry entry)
    {
        var child = entry.Ref;
        if (child is null)
        {
            return;
        }

        FailureReport? pending;
        lock (entry.Sync)
        {
            pending = entry.Pending;
            entry.Pending = null;
        }

        // A child waiting for a decision holds its loop: answer first, or its stop would wait for us.
        pending?.Complete(RestartDecision.Stop);
        await child.StopCoreAsync(StopCause.Shutdown, null, entry.Spec.Shutdown.Timeout).ConfigureAwait(false);
        if (_byRef.TryRemove(new KeyValuePair<ActorRef, ChildEntry>(child, entry)))
        {
            entry.Ref = null;
            _place.RemoveLive(entry.Id, child);
            Publish(new ChildTerminated(Path, Now, entry.Id, child.Path));
            SupervisorLog.ChildTerminated(Log, Path, entry.Id);
        }
    }

    // ---- The loop's side. ----

    private async Task HandleInitAsync(InitCommand init)
    {
        if (_initialized)
        {
            init.Reply?.Reply(true);
            return;
        }

        if (init.Reply is null)
        {
            await InitAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await InitAsync().ConfigureAwait(false);
            init.Reply.Reply(true);
        }
#pragma warning disable CA1031 // A start failure goes back to whoever started the supervisor.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            init.Reply.Fail(exception);
        }
    }

    private async Task InitAsync()
    {
        _initialized = true;
        var started = new List<ChildEntry>();
        foreach (var spec in _place.Children)
        {
            var entry = new ChildEntry(spec);
            try
            {
                AddEntry(entry);
                await StartEntryAsync(entry).ConfigureAwait(false);
                started.Add(entry);
            }
            catch (Exception exception)
            {
                RemoveEntry(entry);
                for (var i = started.Count - 1; i >= 0; i--)
                {
                    await StopChildAsync(started[i]).ConfigureAwait(false);
                    RemoveEntry(started[i]);
                }

                throw new ChildStartException(Path, spec.Id, exception);
            }
        }
    }

    private Task HandleAsync(SupervisorCommand command) => command switch
    {
        ChildFailedCommand failed => HandleFailureAsync(failed.Report),
        ChildStoppedCommand stopped => HandleStoppedAsync(stopped),
        RespawnDueCommand due => HandleRespawnDueAsync(due),
        RetryRestartCommand retry => HandleRetryAsync(retry),
        StartChildCommand start => HandleStartChildAsync(start),
        TerminateChildCommand terminate => HandleTerminateAsync(terminate),
        RestartChildCommand restart => HandleRestartChildAsync(restart),
        DeleteChildCommand delete => HandleDelete(delete),
        WhichChildrenCommand which => HandleWhich(which),
        CountChildrenCommand count => HandleCount(count),
        _ => Task.CompletedTask,
    };

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

    // ---- Dynamic children (OTP's start_child, terminate_child, restart_child, delete_child, which_children, count_children). ----

    private async Task HandleStartChildAsync(StartChildCommand command)
    {
        if (Find(command.Spec.Id) is { } existing)
        {
            command.Reply.Fail(new ArgumentException($"Supervisor '{Path}' already has a child '{existing.Id}' ({(existing.Ref is null ? "present" : "started")})."));
            return;
        }

        var entry = new ChildEntry(command.Spec);
        AddEntry(entry);
        ActorRef started;
        try
        {
            started = await StartEntryAsync(entry).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RemoveEntry(entry);
            command.Reply.Fail(new ChildStartException(Path, entry.Id, exception));
            return;
        }

        command.Reply.Reply(started);
    }

    private async Task HandleTerminateAsync(TerminateChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
            return;
        }

        entry.Restarting = false;
        await StopChildAsync(entry).ConfigureAwait(false);
        if (entry.Spec.Restart == RestartType.Temporary)
        {
            RemoveEntry(entry);
        }

        command.Reply.Reply(true);
    }

    private async Task HandleRestartChildAsync(RestartChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
            return;
        }

        if (entry.Ref is not null || entry.Restarting)
        {
            command.Reply.Fail(new InvalidOperationException($"Child '{command.Id}' of supervisor '{Path}' is {(entry.Restarting ? "restarting" : "running")}."));
            return;
        }

        ActorRef started;
        try
        {
            started = await StartEntryAsync(entry).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            command.Reply.Fail(new ChildStartException(Path, entry.Id, exception));
            return;
        }

        command.Reply.Reply(started);
    }

    private Task HandleDelete(DeleteChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
        }
        else if (entry.Ref is not null || entry.Restarting)
        {
            command.Reply.Fail(new InvalidOperationException($"Child '{command.Id}' of supervisor '{Path}' is {(entry.Restarting ? "restarting" : "running")}; terminate it first."));
        }
        else
        {
            RemoveEntry(entry);
            command.Reply.Reply(true);
        }

        return Task.CompletedTask;
    }

    private Task HandleWhich(WhichChildrenCommand command)
    {
        lock (_sync)
        {
            command.Reply.Reply([.. _children.Select(c => new ChildInfo(c.Id, c.Ref, c.Spec.Kind, c.Spec.Restart, c.Spec.MessageType, c.Restarting))]);
        }

        return Task.CompletedTask;
    }

    private Task HandleCount(CountChildrenCommand command)
    {
        lock (_sync)
        {
            command.Reply.Reply(new ChildCounts(
                _children.Count,
                _children.Count(c => c.Ref is not null),
                _children.Count(c => c.Spec.Kind == ChildKind.Supervisor),
                _children.Count(c => c.Spec.Kind == ChildKind.Worker)));
        }

        return Task.CompletedTask;
    }

    private ChildEntry? Find(string id)
    {
        lock (_sync)
        {
            return _children.Find(c => c.Id == id);
        }
    }

    private bool Contains(ChildEntry entry)
    {
        lock (_sync)
        {
            return _children.Contains(entry);
        }
    }

    private void AddEntry(ChildEntry entry)
    {
        lock (_sync)
        {
            _children.Add(entry);
        }
    }

    private void RemoveEntry(ChildEntry entry)
    {
        lock (_sync)
        {
            _children.Remove(entry);
        }
    }

    private DateTimeOffset Now => Time.GetUtcNow();

    private void Publish(ActorEvent actorEvent) => System.PublishEvent(actorEvent);
}
