namespace Graph.Engine.Checkpoints;

/// <summary>
/// A store that lists what retention decides by (<see cref="RetentionRow"/>: ids, parents, times, sizes) without reading
/// states or pending-write payloads, so <see cref="CheckpointRetention"/> does not read every checkpoint of a thread whole.
/// </summary>
internal interface IRetentionRows
{
    /// <summary>The thread's checkpoints as retention rows, newest first; empty for an unknown thread.</summary>
    Task<IReadOnlyList<RetentionRow>> ListRetentionRowsAsync(string threadId, CancellationToken cancellationToken);
}
