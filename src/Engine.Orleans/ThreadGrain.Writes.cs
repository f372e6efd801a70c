using Graph.Engine.Checkpoints;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>Updates and forks apply once per call id, also when the call is retried on another activation.</summary>
internal sealed partial class ThreadGrain
{
    /// <summary>How many of the thread's newest checkpoints are searched for an update or fork already applied.</summary>
    private const int AppliedWindow = 64;

    /// <summary>
    /// Answers from the checkpoint that call <paramref name="callId"/> wrote, when it is among the thread's newest (an
    /// earlier activation, maybe on a silo that died before it answered, applied it); else applies it with
    /// <paramref name="write"/>, which stamps the call id as the new checkpoint's run id.
    /// </summary>
    private async Task<WireSnapshot> ApplyOnceAsync(IHostedGraph graph, string callId, Func<Task<WireSnapshot>> write)
    {
        var newest = await graph.Checkpointer.ListAsync(ThreadId, AppliedWindow);
        var applied = newest.FirstOrDefault(c => c.Metadata.Source is CheckpointSource.Update or CheckpointSource.Fork && RunIdOf(c) == callId);
        if (applied is not null && await graph.GetStateAsync(ThreadId, applied.Id) is { } answer)
        {
            return answer;
        }

        return await write();
    }
}
