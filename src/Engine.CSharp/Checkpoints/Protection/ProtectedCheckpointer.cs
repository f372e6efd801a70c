using System.Diagnostics;

namespace Graph.Engine.Checkpoints;

/// <summary>
/// An <see cref="ICheckpointer"/> in front of any store that signs every checkpoint and pending write with HMAC-SHA256
/// and, by default, encrypts states, pending-write payloads and send arguments with AES-256-GCM, under a key id; reads
/// verify and decrypt with the key the data names, so old keys keep reading after a rotation.
/// </summary>
/// <remarks>
/// <para>
/// What is protected: a checkpoint changed in the store (a value, an id, its parent, next tasks, metadata, timestamp) or
/// a pending write changed or moved to another checkpoint is refused on read with a <see cref="CheckpointStoreException"/>
/// naming the thread, the checkpoint and the key id; so is data sealed with a key the ring does not hold, and data
/// written without protection. Not protected: which checkpoints exist (deleting the newest ones of a thread, or a whole
/// thread, is not detected) and the thread id (copies of a thread verify).
/// </para>
/// <para>
/// Encrypted states defeat the stores' deduplication and chunking of equal or similar states (each put is a fresh
/// ciphertext), so a thread stores a whole state per checkpoint.
/// </para>
/// </remarks>
[DebuggerDisplay("Protected ({Keys.CurrentKeyId}) over {inner}")]
public sealed class ProtectedCheckpointer : ICheckpointer, ICheckpointRollback, ICheckpointDeletion
{
    private readonly ICheckpointer inner;
    private readonly CheckpointSeal seal;

    /// <summary>Protects <paramref name="inner"/> with <paramref name="keys"/>.</summary>
    /// <param name="inner">The store that keeps the sealed data.</param>
    /// <param name="keys">The keys: new data is sealed with the current one, read with the one it names.</param>
    /// <param name="encrypt">Whether values are encrypted as well as signed (default); data written either way reads.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="keys"/> is null.</exception>
    public ProtectedCheckpointer(ICheckpointer inner, CheckpointKeys keys, bool encrypt = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keys);
        this.inner = inner;
        seal = new CheckpointSeal(keys, encrypt);
    }

    /// <summary>The key ring.</summary>
    public CheckpointKeys Keys => seal.Keys;

    /// <inheritdoc />
    public Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default)
    {
        Checkpoint.Validate(checkpoint);
        var sealedCheckpoint = seal.Seal(checkpoint);
        if (checkpoint.PendingWrites.Count > 0)
        {
            sealedCheckpoint = sealedCheckpoint with { PendingWrites = [.. checkpoint.PendingWrites.Select(w => seal.SealWrite(checkpoint.Id, w))] };
        }

        return inner.PutAsync(sealedCheckpoint, durability, cancellationToken);
    }

    /// <inheritdoc />
    public Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return inner.PutWritesAsync(threadId, checkpointId, [.. writes.Select(w => seal.SealWrite(checkpointId, w ?? throw new ArgumentNullException(nameof(writes))))], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default)
    {
        var stored = await inner.GetAsync(threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : seal.Open(stored);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
    {
        var stored = await inner.ListAsync(threadId, limit, before, cancellationToken).ConfigureAwait(false);
        return [.. stored.Select(seal.Open)];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default) => inner.ListThreadsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default) => inner.DeleteThreadAsync(threadId, cancellationToken);

    /// <inheritdoc />
    public Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default) =>
        inner.CopyThreadAsync(sourceThreadId, targetThreadId, cancellationToken);

    /// <inheritdoc />
    public Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default) => inner.PruneAsync(threadId, keepLast, cancellationToken);

    /// <inheritdoc />
    Task<int> ICheckpointRollback.DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken) =>
        CheckpointRollback.DeleteNewerThanAsync(inner, threadId, checkpointId, cancellationToken);

    /// <inheritdoc />
    bool ICheckpointDeletion.CanDeleteCheckpoints => inner is ICheckpointDeletion { CanDeleteCheckpoints: true };

    /// <inheritdoc />
    Task<int> ICheckpointDeletion.DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        inner is ICheckpointDeletion { CanDeleteCheckpoints: true } deletion
            ? deletion.DeleteCheckpointsAsync(threadId, ids, cancellationToken)
            : throw new NotSupportedException("The protected store cannot delete chosen checkpoints.");
}
