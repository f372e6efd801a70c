using Graph.Engine.Checkpoints;

namespace Graph.Engine.Orleans;

/// <summary>Double texting's rollback: a cancelled run's checkpoints are deleted.</summary>
internal sealed partial class ThreadGrain
{
    /// <summary>
    /// Deletes the checkpoints at the head of the thread that run <paramref name="callId"/> wrote (its call id is their
    /// run id), so the thread's latest checkpoint is the one before that run; a thread the run started is deleted.
    /// </summary>
    /// <remarks>The rollback holds the thread's run slot, so no other run starts on the thread until it is done.</remarks>
    private async Task RollBackAsync(IHostedGraph graph, string callId)
    {
        var slot = new RunningCall("rollback of " + callId);
        running = slot;
        try
        {
            var history = await graph.Checkpointer.ListAsync(ThreadId);
            var kept = history.FirstOrDefault(c => RunIdOf(c) != callId)?.Id ?? 0;
            var deleted = await CheckpointRollback.DeleteNewerThanAsync(graph.Checkpointer, ThreadId, kept, CancellationToken.None);
            Log.RolledBack(logger, ThreadId, callId, deleted, kept);
        }
        finally
        {
            running = null;
            slot.End();
        }
    }
}
