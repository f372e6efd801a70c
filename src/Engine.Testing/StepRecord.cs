using Graph.Engine.Graphs;

namespace Graph.Engine.Testing;

/// <summary>One finished step of a recorded run.</summary>
/// <typeparam name="TState">The state type.</typeparam>
/// <typeparam name="TUpdate">The update type.</typeparam>
/// <param name="Step">The step number (1-based).</param>
/// <param name="Nodes">The nodes whose tasks ran in the step, in planned order.</param>
/// <param name="Tasks">The tasks that finished, in planned order, with their results.</param>
/// <param name="State">The state after the step's updates were applied.</param>
public sealed record StepRecord<TState, TUpdate>(int Step, IReadOnlyList<string> Nodes, IReadOnlyList<TaskFinishedEvent<TUpdate>> Tasks, TState State)
{
    /// <summary>The step as one line: number, nodes with their results, and the state after it.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"step {Step}: [{string.Join(", ", Tasks.Select(t => $"{t.Node} -> {t.Result}"))}] state {ValueText.Format(State)}";
}
