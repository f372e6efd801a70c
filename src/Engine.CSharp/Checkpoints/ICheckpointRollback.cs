namespace Graph.Engine.Checkpoints;

/// <summary>
/// The stores of this repository delete a thread's newest checkpoints in one operation (double texting's rollback);
/// <see cref="CheckpointRollback"/> falls back to the public operations for other stores.
/// </summary>
internal interface ICheckpointRollback
{
    /// <summary>
    /// Deletes the thread's checkpoints with an id greater than <paramref name="checkpointId"/>, with their pending writes;
    /// the newest remaining checkpoint becomes the thread's latest (none remaining: the thread is gone).
    /// </summary>
    Task<int> DeleteNewerThanAsync(string threadId, long checkpointId, CancellationToken cancellationToken);
}
