namespace Graph.Engine.Graphs;

/// <summary>
/// The kinds of events a stream carries (LangGraph's stream modes); combine with <c>|</c>. The run's last event
/// (<see cref="RunFinishedEvent{TState}"/>, <see cref="RunFailedEvent"/> or <see cref="InterruptedEvent"/>) and
/// <see cref="EventsDroppedEvent"/> are always delivered.
/// </summary>
[Flags]
public enum StreamModes
{
    /// <summary>Only the run's last event.</summary>
    None = 0,

    /// <summary>The state after every step (<see cref="StepFinishedEvent{TState}"/>).</summary>
    Values = 1,

    /// <summary>Each task's result (<see cref="TaskFinishedEvent{TUpdate}"/>).</summary>
    Updates = 2,

    /// <summary>What nodes write with <see cref="NodeContext.Emit"/> (<see cref="CustomEvent"/>).</summary>
    Custom = 4,

    /// <summary>Tasks starting and finishing (<see cref="TaskStartedEvent"/>, <see cref="TaskFinishedEvent{TUpdate}"/>).</summary>
    Tasks = 8,

    /// <summary>Checkpoints saved (<see cref="CheckpointSavedEvent"/>).</summary>
    Checkpoints = 16,

    /// <summary>Everything else the run reports (<see cref="JoinSkippedEvent"/>), and every kind above.</summary>
    Debug = 32,

    /// <summary>
    /// The events of subgraph nodes' runs too, each wrapped in a <see cref="SubgraphEvent"/> with its namespace and
    /// filtered by the other flags.
    /// </summary>
    Subgraphs = 64,

    /// <summary>Every kind of the run's own events (the default).</summary>
    All = Values | Updates | Custom | Tasks | Checkpoints | Debug,
}
