namespace Graph.Engine.Graphs;

/// <summary>One task's update, as handed to a batch reducer at a step barrier.</summary>
/// <typeparam name="TUpdate">The graph's update type.</typeparam>
/// <param name="Node">The name of the node that produced the update.</param>
/// <param name="Step">The superstep (1-based) in which the task ran.</param>
/// <param name="TaskIndex">The task's position in the step's planned order (0-based).</param>
/// <param name="Update">The update the node returned.</param>
public readonly record struct NodeUpdate<TUpdate>(string Node, int Step, int TaskIndex, TUpdate Update)
{
    /// <summary>A stable identifier of the task within its run: <c>step:index:node</c>.</summary>
    public string TaskId => $"{Step}:{TaskIndex}:{Node}";
}
