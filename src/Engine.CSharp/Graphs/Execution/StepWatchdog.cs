namespace Graph.Engine.Graphs;

/// <summary>
/// Sees that a task which blocks its thread holds its unclaimed siblings back for a bounded time. A thread working on
/// a run claims the run's tasks one by one and queues no helper (a helper woken for a step of trivial tasks finds them
/// all claimed, and its wake cost more than the step). Instead every thread claiming a step that still has unclaimed
/// tasks is registered here (<see cref="Enter"/>), and one timer per executor, armed only while some registered run
/// has unclaimed tasks, ticks every <see cref="Period"/>: a run that a thread was working on at the previous tick
/// too and that still has unclaimed tasks gets a helper (<see cref="ActorTaskExecutor{TState, TUpdate}.Help"/>).
/// So a blocked (or long synchronous) task holds its unclaimed siblings back for one to two periods, plus the time
/// the thread pool takes to start the helper; each helper that blocks in turn gets the next one a tick later.
/// </summary>
/// <remarks>
/// Concurrency: a <see cref="Drainer"/>'s run is written by its own thread only and read by the tick. Arming and
/// disarming happen under <see cref="gate"/>. A claiming thread publishes the step (a full fence) before it reads
/// <see cref="armed"/>, and the tick clears <see cref="armed"/> (then a full fence) before it looks for unclaimed
/// tasks once more, so a step published while the timer is being disarmed is seen by one of the two.
/// The timer is created without the caller's execution context, never keeps the process alive (no timer does) and
/// is rooted only while armed; <see cref="Dispose"/> stops it for good.
/// </remarks>
internal sealed class StepWatchdog<TState, TUpdate>(TimeProvider timeProvider) : IDisposable
{
    /// <summary>How often the watchdog looks while some run has unclaimed tasks.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The threads that worked on this executor's runs, each with the run it works on now. Never disposed: a thread
    /// may still be claiming when the executor is disposed, and the values go with the executor.
    /// </summary>
    private readonly ThreadLocal<Drainer> drainers = new(static () => new Drainer(), trackAllValues: true);

    private readonly Lock gate = new();
    private ITimer? timer;
    private volatile bool armed;
    private bool disposed;
    private int ticking;

    /// <summary>
    /// Registers the calling thread as working on <paramref name="run"/>, whose current step has unclaimed tasks,
    /// and arms the timer. The caller clears the returned drainer's run (<see cref="Drainer.Leave"/>) when it stops.
    /// </summary>
    public Drainer Enter(GraphRun<TState, TUpdate> run)
    {
        var drainer = drainers.Value!;

        // A full fence: the tick that disarms reads the runs after clearing the flag, this thread reads the flag after.
        Interlocked.Exchange(ref drainer.Run, run);
        EnsureArmed();
        return drainer;
    }

    /// <summary>Arms the timer unless it is armed (a volatile read when it is).</summary>
    public void EnsureArmed()
    {
        if (!armed)
        {
            Arm();
        }
    }

    private void Arm()
    {
        lock (gate)
        {
            if (armed || disposed)
            {
                return;
            }

            armed = true;
            if (timer is null)
            {
                timer = CreateTimer();
            }
            else
            {
                timer.Change(Period, Period);
            }
        }
    }

    /// <summary>Creates the timer without capturing the caller's execution context (it would live as long as the timer).</summary>
    private ITimer CreateTimer()
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return timeProvider.CreateTimer(static state => ((StepWatchdog<TState, TUpdate>)state!).Tick(), this, Period, Period);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return timeProvider.CreateTimer(static state => ((StepWatchdog<TState, TUpdate>)state!).Tick(), this, Period, Period);
        }
    }

    /// <summary>One look: helps every run a thread has been on since the last tick that still has unclaimed tasks; disarms when no run has any.</summary>
    private void Tick()
    {
        if (Interlocked.Exchange(ref ticking, 1) != 0)
        {
            return;
        }

        try
        {
            if (Look())
            {
                return;
            }

            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                armed = false;
                timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            // Keep no run alive while idle (a run noted now may end before the next look).
            foreach (var drainer in drainers.Values)
            {
                drainer.Seen = null;
            }

            Interlocked.MemoryBarrier();
            if (AnyUnclaimed())
            {
                Arm();
            }
        }
        finally
        {
            Volatile.Write(ref ticking, 0);
        }
    }

    /// <returns>Whether some registered run has unclaimed tasks.</returns>
    private bool Look()
    {
        var any = false;
        foreach (var drainer in drainers.Values)
        {
            var run = Volatile.Read(ref drainer.Run);
            var seen = drainer.Seen;
            drainer.Seen = run;
            if (run is null || !run.HasUnclaimedTasks)
            {
                continue;
            }

            any = true;
            if (ReferenceEquals(run, seen))
            {
                ActorTaskExecutor<TState, TUpdate>.Help(run);
            }
        }

        return any;
    }

    private bool AnyUnclaimed()
    {
        foreach (var drainer in drainers.Values)
        {
            if (Volatile.Read(ref drainer.Run) is { HasUnclaimedTasks: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stops the timer for good (the executor is disposed).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            armed = true; // so that EnsureArmed never takes the gate again
            timer?.Dispose();
            timer = null;
        }
    }

    /// <summary>One thread's registration: the run it is claiming tasks of, if any.</summary>
    internal sealed class Drainer
    {
        /// <summary>The run this thread claims tasks of; written by the thread only.</summary>
        public GraphRun<TState, TUpdate>? Run;

        /// <summary>The run seen at the previous tick; the tick's own.</summary>
        public GraphRun<TState, TUpdate>? Seen;

        /// <summary>The thread stopped working on the run.</summary>
        public void Leave() => Volatile.Write(ref Run, null);
    }
}
