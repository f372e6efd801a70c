namespace Graph.Engine.Graphs;

/// <summary>What a newer run on the same thread may ask of this one (double texting, <see cref="MultitaskStrategy"/>).</summary>
internal sealed partial class GraphRun<TState, TUpdate> : ThreadRuns.IRunControl
{
    /// <inheritdoc />
    Task ThreadRuns.IRunControl.Completion => Task;

    /// <inheritdoc />
    void ThreadRuns.IRunControl.ReleaseOnEnd(ThreadRuns.Ticket ticket)
    {
        if (Interlocked.CompareExchange(ref Extras.ThreadTicket, ticket, null) is not null)
        {
            ticket.Release(); // the run has ended already
        }
    }

    /// <summary>Releases the run's thread, once its completion is set: the ticket attached, or the one attached later.</summary>
    private void ReleaseThread()
    {
        if (extras is { } rare && Interlocked.Exchange(ref rare.ThreadTicket, ThreadRuns.Ended) is ThreadRuns.Ticket ticket)
        {
            ticket.Release();
        }
    }

    /// <summary>
    /// Stops the run at its next step boundary: the next checkpoint is saved and the run ends interrupted before every
    /// task it planned (as a static interrupt), so resuming the thread runs them (<see cref="MultitaskStrategy.Interrupt"/>).
    /// </summary>
    public void RequestStop() => Extras.StopRequested = true;

    /// <summary>Cancels the run as its caller's token would, naming why (<see cref="MultitaskStrategy.Rollback"/>).</summary>
    /// <remarks>
    /// The run ends first and its tasks are cancelled as it ends: a task that sees the cancelled token then reports to
    /// a finished run, so the run's error is always this reason, never the task's bare cancellation.
    /// </remarks>
    public void Abort(string reason)
    {
        Fail(new OperationCanceledException(reason));
        CancelTasks(); // the run may have ended before: its tasks stop all the same
    }
}
