namespace Graph.Engine.Graphs;

/// <summary>A task finished successfully.</summary>
/// <typeparam name="TUpdate">The graph's update type.</typeparam>
/// <param name="RunId">The run's id.</param>
/// <param name="Step">The superstep.</param>
/// <param name="Node">The node.</param>
/// <param name="TaskIndex">The task's index in the step's planned order.</param>
/// <param name="Result">What the node returned (update and/or command).</param>
public sealed record TaskFinishedEvent<TUpdate>(string RunId, int Step, string Node, int TaskIndex, NodeResult<TUpdate> Result)
    : GraphEvent(RunId, Step)
{
    /// <summary>Whether the result came from the node cache (<see cref="NodeOptions.Cache"/>) instead of a run of the node.</summary>
    /// <value>Default false.</value>
    public bool Cached { get; init; }
}
