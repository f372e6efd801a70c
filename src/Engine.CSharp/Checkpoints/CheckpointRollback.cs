namespace Graph.Engine.Checkpoints;

/// <summary>Deletes a thread's newest checkpoints in any store (<see cref="ICheckpointRollback"/> when the store has it).</summary>
internal static class CheckpointRollback
{
    /// <summary>Deletes the checkpoints newer than <paramref name="checkpointId"/>; returns how many.</summary>
    /// <remarks>
    /// A store without <see cref="ICheckpointRollback"/> is rolled back with its public operations: the kept
    /// checkpoints are read, the thread deleted and the kept ones put again, oldest first, with their pending writes.
    /// That is not atomic: a crash in between loses the thread's history.
    /// </remarks>
    public static async Task<int> DeleteNewerThanAsync(ICheckpointer store, string threadId, long checkpointId, CancellationToken cancellationToken)
    {
        if (store is ICheckpointRollback rollback)
        {
            return await rollback.DeleteNewerThanAsync(threadId, checkpointId, cancellationToken).ConfigureAwait(false);
        }

        var history = await store.ListAsync(threadId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var doomed = history.Count(c => c.Id > checkpointId);
        if (doomed == 0)
        {
            return 0;
        }

        await store.DeleteThreadAsync(threadId, cancellationToken).ConfigureAwait(false);
        foreach (var kept in history.Where(c => c.Id <= checkpointId).Reverse())
        {
            await store.PutAsync(kept, CheckpointDurability.PerStepSync, CancellationToken.None).ConfigureAwait(false);
        }

        return doomed;
    }
}
