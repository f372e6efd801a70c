using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

// The supervisor's own stop: closing, and stopping its children in reverse start order.
internal sealed partial class SupervisorActor
{
    /// <summary>
    /// Closes this incarnation (the supervisor's stop hook, or its replacement; on the loop when it fails): cancels
    /// what the loop is doing (later commands see the close and touch nothing) and stops the children in reverse
    /// start order. It reads only the published view, so it may run while a command is still under way (a child's
    /// factory, say); a child that command still starts is stopped by the runtime with the supervisor's other
    /// children. The close token is deliberately not disposed: late reports from children still read it.
    /// </summary>
    public Task CloseAsync()
    {
        if (Interlocked.CompareExchange(ref _closeStarted, 1, 0) == 0)
        {
            _ = CloseCoreAsync();
        }

        return _closeDone.Task;
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <summary>Stops the children; run by whoever claimed <see cref="_closeStarted"/>.</summary>
    private async Task CloseCoreAsync()
    {
        try
        {
            await _closed.CancelAsync().ConfigureAwait(false);
            var children = Volatile.Read(ref _view);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                if (children[i].Ref is { } child)
                {
                    await StopAsync(children[i], child).ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _view, []);
        }
        finally
        {
            _closeDone.TrySetResult();
        }
    }

    /// <summary>
    /// Stops a child per its shutdown and waits. A handler that ignores its cancellation is waited for at most
    /// <see cref="SupervisorOptions.KillTimeout"/> past the shutdown timeout; then the child is abandoned.
    /// </summary>
    private async Task StopChildAsync(ChildEntry entry, CancellationToken cancellationToken)
    {
        var child = entry.Ref;
        if (child is null)
        {
            return;
        }

        await StopAsync(entry, child).WaitAsync(cancellationToken).ConfigureAwait(false);
        _byRef.Remove(child);
        entry.Ref = null;
        entry.Supervisor = null;
    }

    /// <summary>Stops a child per its shutdown, bounded by the kill timeout (then it is abandoned). Touches no loop state.</summary>
    private async Task StopAsync(ChildEntry entry, ActorRef child)
    {
        var timeout = entry.Spec.Shutdown.Timeout;
        var stop = child.StopCoreAsync(StopCause.Shutdown, null, timeout);
        if (timeout == Timeout.InfiniteTimeSpan || Options.KillTimeout == Timeout.InfiniteTimeSpan)
        {
            await stop.ConfigureAwait(false);
        }
        else
        {
            try
            {
                await stop.WithinAsync(timeout + Options.KillTimeout, Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ReportAbandoned(entry, child);
                return;
            }
        }

        Publish(new ChildTerminated(Path, Now, entry.Id, child.Path));
        SupervisorLog.ChildTerminated(Log, Path, entry.Id);
    }

    /// <summary>A child whose handler ignores its cancellation (group restart): it leaves the table and its path, and is reported.</summary>
    private void Abandon(ChildEntry entry, ActorRef child)
    {
        _byRef.Remove(child);
        entry.Ref = null;
        entry.Supervisor = null;
        ReportAbandoned(entry, child);
    }

    /// <summary>Detaches the child from the tree and its path (it stops as faulted when its handler returns) and reports it.</summary>
    private void ReportAbandoned(ChildEntry entry, ActorRef child)
    {
        child.Abandon(new ChildAbandonedException(Path, entry.Id, Options.KillTimeout));
        Publish(new ChildAbandoned(Path, Now, entry.Id, child.Path, Options.KillTimeout));
        SupervisorLog.ChildAbandoned(Log, Path, entry.Id, Options.KillTimeout);
    }
}
