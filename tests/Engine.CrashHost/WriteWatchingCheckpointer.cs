using Graph.Engine.Checkpoints;

namespace Graph.Engine.CrashHost;

/// <summary>Passes everything to the inner store and reports the nodes whose pending writes have been stored so far.</summary>
internal sealed class WriteWatchingCheckpointer(ICheckpointer inner) : ICheckpointer
{
    private readonly HashSet<string> stored = [];

    public event Action<IReadOnlySet<string>>? WritesStored;

    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default) =>
        inner.PutAsync(checkpoint, durability, cancellationToken);

    public async Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        await inner.PutWritesAsync(threadId, checkpointId, writes, cancellationToken).ConfigureAwait(false);
        HashSet<string> nodes;
        lock (stored)
        {
            foreach (var write in writes)
            {
                stored.Add(write.Node);
            }

            nodes = [.. stored];
        }

        WritesStored?.Invoke(nodes);
    }

    public Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default) =>
        inner.GetAsync(threadId, checkpointId, cancellationToken);

    public Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(threadId, limit, before, cancellationToken);

    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default) => inner.ListThreadsAsync(cancellationToken);

    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default) => inner.DeleteThreadAsync(threadId, cancellationToken);

    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default) =>
        inner.CopyThreadAsync(sourceThreadId, targetThreadId, cancellationToken);

    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default) => inner.PruneAsync(threadId, keepLast, cancellationToken);
}
