namespace Graph.Engine.Graphs;

/// <summary>Per attempt of a task with persistence: its id, the resume values for its interrupt calls and a call counter.</summary>
internal sealed class InterruptScope(string taskId, IReadOnlyList<object?> values)
{
    public string TaskId { get; } = taskId;

    public IReadOnlyList<object?> Values { get; } = values;

    public int Next { get; set; }
}
