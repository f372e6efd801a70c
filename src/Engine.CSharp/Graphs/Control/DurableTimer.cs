namespace Graph.Engine.Graphs;

/// <summary>
/// The value of a <see cref="InterruptKind.Timer"/> interrupt: a node called <see cref="NodeContext.SleepUntil"/> or
/// <see cref="NodeContext.Delay"/> and its thread waits until <paramref name="WakeAt"/> (docs/control.md).
/// </summary>
/// <param name="WakeAt">When a resume continues the task.</param>
public sealed record DurableTimer(DateTimeOffset WakeAt);
