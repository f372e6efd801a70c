using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

// The supervisor's own stop: closing, and stopping its children in reverse start order.
internal sealed partial class SupervisorActor
{
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
}
