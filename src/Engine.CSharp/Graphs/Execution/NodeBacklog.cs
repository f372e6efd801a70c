using Graph.Engine.Actors;

namespace Graph.Engine.Graphs;

/// <summary>
/// The way into one node's mailbox, shared by every run: tasks go in in arrival order, sent by one pump at a time.
/// While the mailbox has room the sending thread is the pump and sends at once; while it is full, the tasks that
/// arrive wait in this queue (one slot each) and only the pump waits for room, so a run held back by a full mailbox
/// costs its queue slot (16 B in a <see cref="BacklogQueue{T}"/>), not a waiting send of its own (a state machine, a
/// cancellation registration).
/// </summary>
/// <remarks>
/// A waiting task is not cancelled with its run: the run ends on its own (cancel, timeout, a sibling's failure), and
/// its task, once it reaches the node, finds the run finished and does nothing; the pump skips tasks of finished
/// runs. A task the actor refuses (stopped: dead-lettered) is reported to its run as the executor's dead-letter
/// observer does; any other failure of the send is reported here.
/// </remarks>
internal sealed class NodeBacklog<TState, TUpdate>(ActorRef<NodeTask<TState, TUpdate>> node)
{
    private readonly BacklogQueue<NodeTask<TState, TUpdate>> waiting = new();

    /// <summary>1 while a thread pumps (sends, or waits for room); only the pump sends.</summary>
    private int pumping;

    /// <summary>Sends <paramref name="message"/> to the node's mailbox now, or queues it behind the tasks already waiting.</summary>
    public void Send(NodeTask<TState, TUpdate> message)
    {
        if (Volatile.Read(ref pumping) != 0 || Interlocked.CompareExchange(ref pumping, 1, 0) != 0)
        {
            waiting.Enqueue(message);
            if (Interlocked.CompareExchange(ref pumping, 1, 0) == 0)
            {
                _ = PumpAsync(default, default); // the pump released between our try and the enqueue
            }

            return;
        }

        if (!waiting.IsEmpty)
        {
            waiting.Enqueue(message); // earlier tasks go first
            _ = PumpAsync(default, default);
            return;
        }

        var pending = SendNow(message);
        if (!pending.IsCompletedSuccessfully)
        {
            _ = PumpAsync(pending, message);
            return;
        }

        ReleasePump();
    }

    /// <summary>
    /// Sends the waiting tasks one at a time, first awaiting <paramref name="first"/> (the send of
    /// <paramref name="firstMessage"/>) when it is pending; ends when none is left. Runs only while holding the pump.
    /// </summary>
    private async Task PumpAsync(ValueTask first, NodeTask<TState, TUpdate> firstMessage)
    {
        var pending = first;
        var message = firstMessage;
        while (true)
        {
            if (!pending.IsCompletedSuccessfully)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Reported to the run as the task's failure.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    message.Run.OnTaskCompleted(message.Index, default, exception);
                }
            }

            if (!waiting.TryDequeue(out message))
            {
                Volatile.Write(ref pumping, 0);
                if (waiting.IsEmpty || Interlocked.CompareExchange(ref pumping, 1, 0) != 0)
                {
                    return; // nothing left, or another thread took the pump for what it just queued
                }

                pending = default;
                continue;
            }

            pending = message.Run.IsFinished ? default : SendNow(message);
        }
    }

    private void ReleasePump()
    {
        Volatile.Write(ref pumping, 0);
        if (!waiting.IsEmpty && Interlocked.CompareExchange(ref pumping, 1, 0) == 0)
        {
            _ = PumpAsync(default, default);
        }
    }

    private ValueTask SendNow(NodeTask<TState, TUpdate> message)
    {
        try
        {
            return node.SendAsync(message);
        }
#pragma warning disable CA1031 // Reported to the run as the task's failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            message.Run.OnTaskCompleted(message.Index, default, exception);
            return default;
        }
    }
}
