using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>
/// Where a streamed run writes its events (through <see cref="RunEvents{TState, TUpdate}"/>): the consumer's
/// <see cref="EventStream"/>, or a <see cref="SubgraphEventForwarder"/> into the parent run's. A writer that is not a
/// sink is read without bound.
/// </summary>
internal abstract class EventSink : ChannelWriter<GraphEvent>
{
    /// <summary>Whether the consumer asked for subgraph events (<see cref="StreamModes.Subgraphs"/>).</summary>
    public abstract bool WantsSubgraphs { get; }

    /// <summary>Completes when the buffer has room (at once, unless the consumer is behind under <see cref="StreamOverflow.Wait"/>).</summary>
    public abstract ValueTask WaitForRoomAsync();

    /// <inheritdoc />
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => new(true);
}
