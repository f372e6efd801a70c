namespace Graph.Engine.Graphs;

/// <summary>
/// The parallelism cap of one concurrent delegate node, shared by every run: a lock-free count of its tasks running
/// now. A task that finds no slot waits in the node's mailbox, whose single pump takes the next slot that frees
/// (<see cref="AcquireAsync"/>), so the mailbox's capacity is the node's back-pressure and the cap is exact.
/// </summary>
/// <remarks>An unbounded node (<paramref name="cap"/> <see cref="int.MaxValue"/>) always has a free slot and counts nothing.</remarks>
internal sealed class NodeSlots(int cap)
{
    private int running;
    private TaskCompletionSource? waiter;

    /// <summary>Takes a slot if one is free.</summary>
    public bool TryAcquire()
    {
        if (cap == int.MaxValue)
        {
            return true;
        }

        if (Interlocked.Increment(ref running) <= cap)
        {
            return true;
        }

        Release();
        return false;
    }

    /// <summary>Gives a slot back and wakes the mailbox pump if it waits for one.</summary>
    public void Release()
    {
        if (cap == int.MaxValue)
        {
            return;
        }

        Interlocked.Decrement(ref running);
        if (Volatile.Read(ref waiter) is not null)
        {
            Interlocked.Exchange(ref waiter, null)?.TrySetResult();
        }
    }

    /// <summary>Waits for a slot. Only the node's mailbox pump calls it (one caller at a time).</summary>
    public async ValueTask AcquireAsync()
    {
        while (!TryAcquire())
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref waiter, signal);

            // Try again after registering: a slot may have been released between the failed try and the registration.
            // A failed retry gives its count back without waking: Release would wake this very waiter, and the pump
            // would spin (a new signal each turn) for as long as the node stays full. A slot released meanwhile by a
            // task wakes the waiter registered above.
            if (TryAcquireQuietly())
            {
                Interlocked.CompareExchange(ref waiter, null, signal);
                return;
            }

            await signal.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Takes a slot if one is free; a failed try gives its count back without waking the waiter (see <see cref="AcquireAsync"/>).</summary>
    private bool TryAcquireQuietly()
    {
        if (Interlocked.Increment(ref running) <= cap)
        {
            return true;
        }

        Interlocked.Decrement(ref running);
        return false;
    }
}
