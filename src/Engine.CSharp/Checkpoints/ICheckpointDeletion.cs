namespace Graph.Engine.Checkpoints;

/// <summary>
/// A store that deletes chosen checkpoints of a thread (with their pending writes, and states no longer used), so
/// <see cref="CheckpointRetention"/> can keep the newest checkpoints of every branch and not only a tail by id.
/// </summary>
internal interface ICheckpointDeletion
{
    /// <summary>
    /// Whether <see cref="DeleteCheckpointsAsync"/> works on this instance; a wrapper over a store without chosen deletes
    /// says false, and <see cref="CheckpointRetention"/> then prunes a tail instead.
    /// </summary>
    bool CanDeleteCheckpoints => true;

    /// <summary>Deletes the checkpoints <paramref name="ids"/> of a thread; never the thread's latest. Returns how many were deleted.</summary>
    Task<int> DeleteCheckpointsAsync(string threadId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}
