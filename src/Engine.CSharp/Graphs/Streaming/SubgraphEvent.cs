namespace Graph.Engine.Graphs;

/// <summary>An event of a subgraph node's run (<see cref="StreamModes.Subgraphs"/>).</summary>
/// <param name="RunId">The parent run's id.</param>
/// <param name="Step">The parent's step.</param>
/// <param name="Namespace">
/// Where the event comes from: the id of the subgraph node's task, <c>step:index:node</c> (see
/// <see cref="NodeContext.TaskId"/>); nested subgraphs are joined with <c>/</c> (<c>1:0:outer/2:0:inner</c>).
/// </param>
/// <param name="Event">The subgraph run's event.</param>
public sealed record SubgraphEvent(string RunId, int Step, string Namespace, GraphEvent Event) : GraphEvent(RunId, Step);
