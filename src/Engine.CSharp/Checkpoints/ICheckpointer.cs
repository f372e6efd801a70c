namespace Graph.Engine.Checkpoints;

/// <summary>
/// Stores the checkpoints of graph threads as bytes, whatever the state type. The runner calls it; users
/// call it to inspect, copy, prune and delete histories.
/// </summary>
/// <remarks>
/// <para>
/// Ordering: calls made one after the other (each call has returned its task before the next is made) are
/// applied in call order, even when their tasks are not awaited. So a runner in
/// <see cref="CheckpointDurability.Async"/> mode may fire <see cref="PutWritesAsync"/> for finished tasks and then
/// <see cref="PutAsync"/> for the step's checkpoint without waiting: the writes are stored first. Reads see a
/// put or write once its task has completed.
/// </para>
/// <para>
/// Cancellation: a token cancelled before a call's work is applied abandons that work (the task is cancelled);
/// once applied, the call completes normally.
/// </para>
/// <para>Implementations are thread-safe: many threads may be written and read concurrently.</para>
/// </remarks>
public interface ICheckpointer
{
    /// <summary>Stores a checkpoint (and any <see cref="Checkpoint.PendingWrites"/> it carries).</summary>
    /// <param name="checkpoint">The checkpoint; its id must be greater than every id already stored for its thread.</param>
    /// <param name="durability">
    /// The run's durability mode: with <see cref="CheckpointDurability.PerStepSync"/> and <see cref="CheckpointDurability.AtExit"/>
    /// the checkpoint is on stable storage when the task completes; with <see cref="CheckpointDurability.Async"/> it is
    /// committed (visible, survives a process crash) but the disk sync may be deferred.
    /// </param>
    /// <param name="cancellationToken">Cancels the put if it has not been applied yet.</param>
    /// <returns>A task that completes when the checkpoint is stored.</returns>
    /// <exception cref="ArgumentException">The checkpoint is malformed (empty thread id, id not positive, parent not smaller than id).</exception>
    /// <exception cref="CheckpointStoreException">
    /// The id is not greater than the thread's latest id, or the checkpoint names a parent the thread does not hold (a
    /// put that failed or was lost): reported by the task, and nothing is stored.
    /// </exception>
    Task PutAsync(Checkpoint checkpoint, CheckpointDurability durability, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the writes of tasks that finished (or interrupted, or failed) in the step that started from checkpoint
    /// <paramref name="checkpointId"/>, before that step completes, so a crash or a failing sibling never re-runs or loses them.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint the running step started from.</param>
    /// <param name="writes">
    /// The writes, in order. Idempotent per task and kind: they replace earlier writes with the same task id and kind
    /// on that checkpoint (a retried call stores nothing twice); others are kept and appended after.
    /// </param>
    /// <param name="cancellationToken">Cancels the call if it has not been applied yet.</param>
    /// <returns>A task that completes when the writes are committed (synced at the latest with the next synced put).</returns>
    /// <exception cref="CheckpointStoreException">The thread has no such checkpoint (reported by the task).</exception>
    Task PutWritesAsync(string threadId, long checkpointId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Loads a checkpoint with the pending writes recorded against it.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="checkpointId">The checkpoint's id, or <see langword="null"/> for the thread's latest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when the thread or checkpoint does not exist.</returns>
    /// <exception cref="CheckpointStoreException">The stored data is damaged (stores that verify what they read name the thread, checkpoint and check that failed).</exception>
    Task<Checkpoint?> GetAsync(string threadId, long? checkpointId = null, CancellationToken cancellationToken = default);

    /// <summary>Lists a thread's checkpoints, newest first, each with its pending writes.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="limit">At most this many checkpoints, or <see langword="null"/> for all.</param>
    /// <param name="before">Only checkpoints with an id smaller than this, or <see langword="null"/> from the latest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoints, newest (highest id) first; empty for an unknown thread.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    /// <exception cref="CheckpointStoreException">The stored data is damaged.</exception>
    Task<IReadOnlyList<Checkpoint>> ListAsync(string threadId, int? limit = null, long? before = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the ids of the threads that have at least one checkpoint, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The thread ids.</returns>
    Task<IReadOnlyList<string>> ListThreadsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a thread's checkpoints and pending writes (and, in stores that share state, state no longer used).</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="cancellationToken">Cancels the call if it has not been applied yet.</param>
    /// <returns><see langword="true"/> when the thread existed.</returns>
    Task<bool> DeleteThreadAsync(string threadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies every checkpoint and pending write of a thread to a new thread, keeping ids, parents and timestamps.
    /// The copies are independent: changing one thread afterwards does not affect the other.
    /// </summary>
    /// <param name="sourceThreadId">The thread to copy.</param>
    /// <param name="targetThreadId">The new thread; must have no checkpoints.</param>
    /// <param name="cancellationToken">Cancels the call if it has not been applied yet.</param>
    /// <returns>A task that completes when the copy is stored.</returns>
    /// <exception cref="CheckpointStoreException">The source does not exist or the target already exists (reported by the task).</exception>
    Task CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the newest <paramref name="keepLast"/> checkpoints of a thread (by id) and deletes the older ones
    /// with their pending writes.
    /// </summary>
    /// <remarks>
    /// Because a parent's id is always smaller than its child's, what is kept is a contiguous tail of every branch:
    /// each kept checkpoint's parent is kept unless the parent is older than every kept checkpoint. The oldest kept
    /// checkpoint of each branch keeps its <see cref="Checkpoint.ParentId"/>, which then names a deleted checkpoint
    /// (<see cref="GetAsync"/> returns <see langword="null"/> for it): history starts there. The latest checkpoint and
    /// its pending writes are always kept, so a thread stays resumable.
    /// </remarks>
    /// <param name="threadId">The thread.</param>
    /// <param name="keepLast">How many checkpoints to keep; at least 1.</param>
    /// <param name="cancellationToken">Cancels the call if it has not been applied yet.</param>
    /// <returns>The number of checkpoints deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keepLast"/> is less than 1.</exception>
    Task<int> PruneAsync(string threadId, int keepLast, CancellationToken cancellationToken = default);
}
