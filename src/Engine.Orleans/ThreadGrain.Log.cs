using Microsoft.Extensions.Logging;

namespace Graph.Engine.Orleans;

internal sealed partial class ThreadGrain
{
    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "Resuming run {CallId} of thread {ThreadId} from checkpoint {CheckpointId} (its silo is gone)")]
        public static partial void Recovering(ILogger logger, string threadId, string callId, long checkpointId);

        [LoggerMessage(3002, LogLevel.Warning, "A recovered run failed")]
        public static partial void RecoveryFailed(ILogger logger, Exception error);

        [LoggerMessage(3003, LogLevel.Warning, "Could not remove the run record of thread {ThreadId}, call {CallId}")]
        public static partial void RecordNotRemoved(ILogger logger, Exception error, string threadId, string callId);

        [LoggerMessage(3004, LogLevel.Information, "Rolled back run {CallId} of thread {ThreadId}: {Deleted} checkpoint(s) deleted, the latest is now {KeptCheckpointId} (0: none)")]
        public static partial void RolledBack(ILogger logger, string threadId, string callId, int deleted, long keptCheckpointId);
    }
}
