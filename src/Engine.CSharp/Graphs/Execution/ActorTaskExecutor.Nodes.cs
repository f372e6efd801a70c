namespace Graph.Engine.Graphs;

/// <summary>
/// Running a claimed task at its node: on the claiming thread when the node allows (an idle exclusive actor, or a
/// free slot of a concurrent delegate node), otherwise through the node's backlog into its mailbox.
/// </summary>
internal sealed partial class ActorTaskExecutor<TState, TUpdate>
{
    /// <summary>
    /// Runs <paramref name="message"/> (whose claimed task is <paramref name="task"/>) on this thread if its node allows: an exclusive node (one task at a time, or a
    /// factory node) when its actor is idle with an empty mailbox; a concurrent delegate node when it has a free slot
    /// (it is stateless, so it needs no actor turn).
    /// </summary>
    private bool TryRunInline(NodeTask<TState, TUpdate> message, in PlannedTask<TState, TUpdate> task)
    {
        var index = task.Node.Index;
        if (slots[index] is not { } nodeSlots)
        {
            return nodes[index].TryRunInline(message);
        }

        if (Volatile.Read(ref disposed) != 0 || !nodeSlots.TryAcquire(message.Run.Stripe, out var stripe))
        {
            return false;
        }

        RunInSlot(message.Run, task, nodeSlots, stripe);
        return true;
    }

    /// <summary>
    /// A concurrent node's mailbox pump: waits for a free slot, starts the task and takes the next message; the task
    /// gives its slot back when it ends. The steps the task completes are queued, not run on the pump.
    /// </summary>
    internal async ValueTask RunQueuedAsync(NodeTask<TState, TUpdate> message, NodeSlots nodeSlots)
    {
        var stripe = await nodeSlots.AcquireAsync().ConfigureAwait(false);

        // The task is read from the run (the message holds its index): safe after the wait because a run hands its
        // buffers back only when it ends successfully, which it cannot do while this task has not reported.
        RunInSlot(message.Run, message.Task, nodeSlots, stripe);
    }

    private static void RunInSlot(GraphRun<TState, TUpdate> run, in PlannedTask<TState, TUpdate> task, NodeSlots nodeSlots, int stripe)
    {
        var pending = run.RunTask(task, null);
        if (pending.IsCompleted)
        {
            nodeSlots.Release(stripe);
        }
        else
        {
            _ = ReleaseWhenDoneAsync(pending, nodeSlots, stripe);
        }
    }

    private static async Task ReleaseWhenDoneAsync(ValueTask pending, NodeSlots nodeSlots, int stripe)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            nodeSlots.Release(stripe);
        }
    }

    /// <summary>Sends the task to the mailbox of node <paramref name="index"/> through the node's backlog (created with the first task that does not run inline).</summary>
    private void Post(NodeTask<TState, TUpdate> message, int index)
    {
        var backlog = Volatile.Read(ref backlogs[index]);
        if (backlog is null)
        {
            var created = new NodeBacklog<TState, TUpdate>(nodes[index]);
            backlog = Interlocked.CompareExchange(ref backlogs[index], created, null) ?? created;
        }

        backlog.Send(message);
    }
}
