using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>
/// Everything one run did, as its event stream told it: the steps with their tasks and updates, the states after each
/// step, the checkpoints written, the interrupts and how the run ended. Assert on it with <see cref="RunAssertions"/>.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
public sealed class RunRecord<TState, TUpdate> : IRunOutcome
{
    internal RunRecord(IReadOnlyList<GraphEvent> events, Exception? error)
    {
        Events = events;
        Error = error;
        var steps = new List<StepRecord<TState, TUpdate>>();
        foreach (var finished in events.OfType<StepFinishedEvent<TState>>())
        {
            var updates = events.OfType<TaskFinishedEvent<TUpdate>>().Where(t => t.Step == finished.Step).OrderBy(t => t.TaskIndex).ToList();
            steps.Add(new StepRecord<TState, TUpdate>(finished.Step, finished.Nodes, updates, finished.State));
        }

        Steps = steps;
        if (events.OfType<RunFinishedEvent<TState>>().LastOrDefault() is { } done)
        {
            FinalState = done.State;
            HasFinished = true;
        }

        Interrupts = [.. events.OfType<InterruptedEvent>().SelectMany(i => i.Interrupts)];
        Checkpoints = [.. events.OfType<CheckpointSavedEvent>()];
    }

    /// <summary>Every event of the run, in the order it was streamed.</summary>
    public IReadOnlyList<GraphEvent> Events { get; }

    /// <summary>The finished steps, in order.</summary>
    public IReadOnlyList<StepRecord<TState, TUpdate>> Steps { get; }

    /// <summary>Whether the run reached its end (not failed, cancelled or interrupted).</summary>
    public bool HasFinished { get; }

    /// <summary>The final state when <see cref="HasFinished"/>; otherwise the default value.</summary>
    public TState FinalState { get; } = default!;

    /// <summary>How the run failed, was cancelled or interrupted (<see cref="GraphInterruptedException"/>); null when it finished.</summary>
    public Exception? Error { get; }

    /// <summary>The interrupts the run stopped at.</summary>
    public IReadOnlyList<GraphInterrupt> Interrupts { get; }

    /// <summary>The checkpoints the run saved, in order.</summary>
    public IReadOnlyList<CheckpointSavedEvent> Checkpoints { get; }

    /// <summary>The updates of <paramref name="node"/>'s tasks, in step order.</summary>
    /// <param name="node">The node name.</param>
    /// <returns>The updates (a task that returned nothing or a command without an update adds none).</returns>
    public IReadOnlyList<TUpdate> UpdatesOf(string node) =>
        [.. Steps.SelectMany(s => s.Tasks).Where(t => t.Node == node && t.Result.HasUpdate).Select(t => t.Result.Update)];

    /// <summary>The run as text, one line per step (the form failure messages use).</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Join(Environment.NewLine, Steps.Select(s => s.ToString()).Append(HasFinished ? $"finished: {ValueText.Format(FinalState)}" : $"ended: {Error?.GetType().Name}: {Error?.Message}"));
}
