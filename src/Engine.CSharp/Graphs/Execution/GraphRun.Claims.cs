namespace Graph.Engine.Graphs;

/// <summary>
/// Handing a step's tasks out: the planner publishes the step once, and every thread working on the run (the
/// trampoline that finished the previous step, a helper on the thread pool, a node actor) claims the next unclaimed
/// task with one compare-and-swap. A step is dispatched in one enqueue, however many tasks it has. A step of one task
/// planned on a thread that works on the run is not published but handed to that thread (<see cref="PublishStep"/>).
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate> : IThreadPoolWorkItem
{
    /// <summary>The current step's claims: the number of tasks to run (high 32 bits) and the next to claim (low 32 bits).</summary>
    private long claims;

    /// <summary>
    /// The claims of a step handed to the thread that planned it (<see cref="PublishStep"/>): nothing to claim for any
    /// other thread (next and count both -1), and the sign for the planning thread to look for its hand-off.
    /// </summary>
    private const long HandedOff = -1;

    /// <summary>1 while a helper is queued on the thread pool and has not started (see <see cref="ActorTaskExecutor{TState, TUpdate}.Work"/>).</summary>
    private int helperQueued;

    /// <summary>The managed id of the thread inside <see cref="Start"/>; 0 once it returned.</summary>
    private int startingThread;

    /// <summary>
    /// Whether the calling thread is the one starting the run (inside <see cref="Start"/>), so the first step may run
    /// on it. Written and cleared by that thread only: any other thread (a save's continuation, a helper) reads false.
    /// </summary>
    public bool IsStartingHere => startingThread == Environment.CurrentManagedThreadId;

    /// <summary>
    /// Claims the next task of the current step. The claimed task stays in place until it reports, so reading it
    /// after the claim is safe; a claim that loses a race with the step's end takes a task of the next step, which
    /// is just as unclaimed.
    /// </summary>
    /// <param name="task">The claimed task.</param>
    /// <param name="more">Whether unclaimed tasks remain after this one.</param>
    /// <returns>False when every task of the step is claimed.</returns>
    public bool TryClaim(out PlannedTask<TState, TUpdate> task, out bool more)
    {
        if (Volatile.Read(ref claims) == HandedOff && RunTrampoline.TakeHandOff(this))
        {
            task = TaskAt(0);
            more = false;
            return true;
        }

        while (true)
        {
            var c = Volatile.Read(ref claims);
            var next = (int)c;
            var count = (int)(c >> 32);
            if (next >= count)
            {
                task = default;
                more = false;
                return false;
            }

            if (Interlocked.CompareExchange(ref claims, c + 1, c) == c)
            {
                task = TaskAt(claimOrder is { } order ? order[next] : next);
                more = next + 1 < count;
                return true;
            }
        }
    }

    /// <summary>Whether the current step has tasks no thread has claimed yet (false for a step handed to its planning thread).</summary>
    public bool HasUnclaimedTasks
    {
        get
        {
            var c = Volatile.Read(ref claims);
            return (int)c < (int)(c >> 32);
        }
    }

    /// <summary>The claimed task at <paramref name="index"/> of the current step (it stays in place until it reports).</summary>
    public PlannedTask<TState, TUpdate> ClaimedTask(int index) => TaskAt(index);

    /// <summary>Marks a helper as queued; false when one is queued already (it will see whatever is published now).</summary>
    public bool TryQueueHelper() => Volatile.Read(ref helperQueued) == 0 && Interlocked.CompareExchange(ref helperQueued, 1, 0) == 0;

    /// <summary>The queued helper started: whatever is published from now on queues another if it needs one.</summary>
    /// <remarks>
    /// A full fence, not a release write: the helper then reads the claims, while a publisher writes the claims and
    /// then reads this flag. Without the fence the helper's read could pass its own write, so it could see the
    /// previous step's claims while the publisher still saw a helper queued, and nobody would claim the new step.
    /// </remarks>
    public void HelperStarted() => Interlocked.Exchange(ref helperQueued, 0);

    /// <summary>
    /// Publishes the current step's <paramref name="count"/> tasks (in <paramref name="order"/>, or all) and hands the
    /// step to the executor. A step of one task planned on a thread that works on the run is handed to that thread
    /// instead (<see cref="RunTrampoline.TryHandOff"/>): its loop takes it with its next <see cref="TryClaim"/>, so no
    /// other thread needs to see it (no claim word written, no compare-and-swap to take it, no countdown to report it).
    /// </summary>
    private void PublishStep(int count, int[]? order)
    {
        claimOrder = order;
        if (count == 1 && order is null && RunTrampoline.TryHandOff(this))
        {
            Volatile.Write(ref claims, HandedOff);
            return;
        }

        Volatile.Write(ref outstanding, count);
        Interlocked.Exchange(ref claims, (long)count << 32);
        executor.DispatchStep(this);
    }

    /// <summary>A pool thread works on the run (queued by the executor).</summary>
    void IThreadPoolWorkItem.Execute() => executor.Work(this);
}
