using Graph.Engine.Checkpoints;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>A compiled graph registered in a silo, seen by the thread grain through wire types only.</summary>
internal interface IHostedGraph : IAsyncDisposable
{
    /// <summary>The name the graph is registered under.</summary>
    string Name { get; }

    /// <summary>The shared checkpointer the graph runs against.</summary>
    ICheckpointer Checkpointer { get; }

    /// <summary>Runs or resumes the thread as <paramref name="call"/> says, stamping <see cref="WireRunCall.CallId"/> as the run id.</summary>
    Task<WireRunResult> RunAsync(string threadId, WireRunCall call, CancellationToken cancellationToken);

    /// <summary>Runs the thread from <see cref="WireRunCall.Input"/> as <see cref="RunAsync"/> does, writing the run's events to <paramref name="events"/>.</summary>
    Task<WireRunResult> StreamAsync(string threadId, WireRunCall call, System.Threading.Channels.ChannelWriter<WireEvent> events, CancellationToken cancellationToken);

    /// <summary>Continues an unfinished thread under the run id <paramref name="callId"/>.</summary>
    Task<WireRunResult> ContinueAsync(string threadId, string callId, CancellationToken cancellationToken);

    Task<WireSnapshot?> GetStateAsync(string threadId, long? checkpointId);

    Task<WireSnapshot[]> GetStateHistoryAsync(string threadId, int? limit, long? before);

    /// <summary>Applies an update, stamping <paramref name="callId"/> as the new checkpoint's run id.</summary>
    Task<WireSnapshot> UpdateStateAsync(string threadId, byte[] update, string asNode, long? checkpointId, string callId);

    /// <summary>Forks, stamping <paramref name="callId"/> as the fork's run id.</summary>
    Task<WireSnapshot> ForkAsync(string threadId, long checkpointId, string callId);
}
