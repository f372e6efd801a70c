namespace Graph.Engine.Graphs;

/// <summary>
/// Per attempt of a task with persistence that has resume values: its id, the resume values for its interrupt calls
/// and a call counter. A task without resume values needs no counter (its first interrupt call stops it), so
/// <see cref="For"/> gives its id alone and nothing is allocated per task.
/// </summary>
internal sealed class InterruptScope(string taskId, IReadOnlyList<object?> values)
{
    public string TaskId { get; } = taskId;

    public IReadOnlyList<object?> Values { get; } = values;

    public int Next { get; set; }

    /// <summary>
    /// What a <see cref="NodeContext"/> of a persisted task holds for its interrupts: a scope when
    /// <paramref name="values"/> has resume values, else <paramref name="taskId"/> itself.
    /// </summary>
    public static object For(string taskId, IReadOnlyList<object?>? values) =>
        values is { Count: > 0 } ? new InterruptScope(taskId, values) : taskId;
}
