namespace Graph.Engine.Graphs;

/// <summary>
/// The sink of a subgraph node's run: wraps each of its events in a <see cref="SubgraphEvent"/> (namespaces of nested
/// subgraphs joined with <c>/</c>) and writes it to the parent's sink. The child's end does not end the parent's stream.
/// </summary>
internal sealed class SubgraphEventForwarder(EventSink parent, string runId, int step, string ns) : EventSink
{
    public override bool WantsSubgraphs => true;

    public override bool TryWrite(GraphEvent item) => parent.TryWrite(item is SubgraphEvent nested
        ? new SubgraphEvent(runId, step, ns + "/" + nested.Namespace, nested.Event)
        : new SubgraphEvent(runId, step, ns, item));

    public override bool TryComplete(Exception? error = null) => false;

    public override ValueTask WaitForRoomAsync() => parent.WaitForRoomAsync();
}
