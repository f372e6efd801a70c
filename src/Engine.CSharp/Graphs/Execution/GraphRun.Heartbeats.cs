namespace Graph.Engine.Graphs;

/// <summary>
/// A run's heartbeats: the idle deadlines of the attempts running under <see cref="NodeOptions.IdleTimeout"/>,
/// found by step and task index when a node calls <see cref="NodeContext.Heartbeat"/>.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    public void Heartbeat(int step, int taskIndex, int attempt)
    {
        if (extras?.IdleDeadlines is { } deadlines && deadlines.TryGetValue((step, taskIndex), out var deadline) && deadline.Attempt == attempt)
        {
            deadline.Beat();
        }
    }

    /// <summary>Arms the idle deadline of <paramref name="attempt"/>; it cancels <paramref name="attemptCts"/> when it expires.</summary>
    private IdleDeadline StartIdleDeadline(in PlannedTask<TState, TUpdate> task, int attempt, TimeSpan idle, CancellationTokenSource attemptCts)
    {
        var deadlines = LazyInitializer.EnsureInitialized(ref Extras.IdleDeadlines, static () => new());
        var deadline = new IdleDeadline(attempt, idle, options.TimeProvider, attemptCts);
        deadlines[(task.Step, task.Index)] = deadline;
        return deadline;
    }

    /// <summary>Disarms an attempt's idle deadline and forgets it (unless a later attempt already replaced it).</summary>
    private void StopIdleDeadline(in PlannedTask<TState, TUpdate> task, IdleDeadline deadline)
    {
        deadline.Dispose();
        extras!.IdleDeadlines!.TryRemove(new KeyValuePair<(int, int), IdleDeadline>((task.Step, task.Index), deadline));
    }
}
