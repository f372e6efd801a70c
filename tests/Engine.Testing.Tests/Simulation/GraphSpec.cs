namespace Graph.Engine.Testing.Tests.Simulation;

/// <summary>
/// A random graph of the simulation, as data: nodes <c>n0..nN</c> that add their own bit to a <c>long</c> sum, plain
/// edges (a DAG from n0), and optionally conditional edges, joins, a Send fan-out to worker <c>w</c>, and a subgraph node.
/// </summary>
/// <param name="Nodes">How many nodes.</param>
/// <param name="Edges">Plain edges (from, to) with from &lt; to.</param>
/// <param name="Routers">Nodes whose edges are a conditional edge choosing one target by the state instead.</param>
/// <param name="Joins">Nodes reached by a join of all their parents instead of plain edges.</param>
/// <param name="SendFrom">The node that sends to worker <c>w</c>, or -1.</param>
/// <param name="SendArgs">The Send arguments (one worker task each).</param>
/// <param name="Subgraph">The node that is a subgraph of two nodes, or -1.</param>
/// <param name="Exclusive">Nodes that run one task at a time (the others run in parallel).</param>
public sealed record GraphSpec(
    int Nodes,
    IReadOnlyList<(int From, int To)> Edges,
    IReadOnlyList<int> Routers,
    IReadOnlyList<int> Joins,
    int SendFrom,
    IReadOnlyList<int> SendArgs,
    int Subgraph,
    IReadOnlyList<int> Exclusive)
{
    /// <summary>The parents of node <paramref name="node"/>.</summary>
    public IEnumerable<int> Parents(int node) => Edges.Where(e => e.To == node).Select(e => e.From);

    /// <summary>The children of node <paramref name="node"/>.</summary>
    public IEnumerable<int> Children(int node) => Edges.Where(e => e.From == node).Select(e => e.To);

    public override string ToString() =>
        $"nodes {Nodes}; edges {string.Join(" ", Edges.Select(e => $"n{e.From}->n{e.To}"))}; routers [{string.Join(",", Routers)}]; joins [{string.Join(",", Joins)}]; "
        + $"send n{SendFrom}->w x{SendArgs.Count}; subgraph n{Subgraph}; exclusive [{string.Join(",", Exclusive)}]";
}
