namespace Graph.Engine.Graphs;

/// <summary>Durable timers: a task that waits ends its run as waiting, checkpointed, instead of holding a thread.</summary>
public readonly partial struct NodeContext
{
    /// <summary>
    /// Waits until <paramref name="wakeAt"/> durably: the first time, the task stops (an interrupt of kind
    /// <see cref="InterruptKind.Timer"/>, let it propagate) and the run ends as <see cref="GraphRunStatus.Waiting"/> once
    /// the step's other tasks have finished (their writes are kept). A resume before <paramref name="wakeAt"/> (on the
    /// graph's <see cref="GraphCompileOptions.TimeProvider"/>) runs nothing and returns Waiting again; a resume at or
    /// after it runs the node again <b>from its start</b>, and this call then returns at once.
    /// </summary>
    /// <param name="wakeAt">When the task may continue.</param>
    /// <exception cref="NodeInterruptException">The timer is not yet behind this task: the run stops here.</exception>
    /// <exception cref="InvalidOperationException">The run has no checkpointer or no thread id.</exception>
    public void SleepUntil(DateTimeOffset wakeAt)
    {
        var (taskId, n, values) = NextCall(-1, "SleepUntil or Delay");
        if (n < values.Count)
        {
            return; // this timer was behind the task when the thread was resumed
        }

        throw new NodeInterruptException(new GraphInterrupt($"{taskId}#{n}", Node, taskId, InterruptKind.Timer, new DurableTimer(wakeAt))) { EarlierValues = values };
    }

    /// <summary>
    /// Waits <paramref name="delay"/> durably from now on the graph's clock: <see cref="SleepUntil"/> with now plus
    /// <paramref name="delay"/> (the due time is fixed when the task first calls it and checkpointed).
    /// </summary>
    /// <param name="delay">How long to wait; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="NodeInterruptException">The timer is not yet behind this task: the run stops here.</exception>
    /// <exception cref="InvalidOperationException">The run has no checkpointer or no thread id.</exception>
    public void Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        SleepUntil((run?.Time ?? TimeProvider.System).GetUtcNow() + delay);
    }
}
