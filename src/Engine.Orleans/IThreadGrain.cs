using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>
/// A graph thread, keyed by its thread id. It hosts the thread's runs with the library's own run loop against the
/// graph's shared checkpointer; every call is fenced by thread, call id and (optionally) checkpoint id.
/// </summary>
[Alias("graph.thread")]
internal interface IThreadGrain : IGrainWithStringKey
{
    /// <summary>Runs or resumes the thread; a retried call (same call id) joins or answers the first instead of running again.</summary>
    [Alias("run")]
    Task<WireRunResult> RunAsync(WireRunCall call);

    /// <summary>Starts a run (admitted as <see cref="RunAsync"/> admits it) and yields its events; ending the enumeration early cancels the run.</summary>
    [Alias("stream")]
    IAsyncEnumerable<WireEvent> StreamAsync(WireRunCall call);

    /// <summary>Resumes the thread's run <paramref name="callId"/> if it is unfinished and no run is in flight here (after its silo died).</summary>
    [Alias("recover")]
    Task RecoverAsync(string graph, string callId);

    /// <summary>Cancels the run <paramref name="callId"/> if it is in flight here.</summary>
    [Alias("cancel")]
    Task CancelAsync(string callId);

    [Alias("state")]
    Task<WireSnapshot?> GetStateAsync(string graph, long? checkpointId);

    [Alias("history")]
    Task<WireSnapshot[]> GetStateHistoryAsync(string graph, int? limit, long? before);

    /// <summary>Applies an update once per call id.</summary>
    [Alias("update")]
    Task<WireSnapshot> UpdateStateAsync(string graph, string callId, byte[] update, string asNode, long? checkpointId);

    /// <summary>Forks once per call id.</summary>
    [Alias("fork")]
    Task<WireSnapshot> ForkAsync(string graph, string callId, long checkpointId);
}
