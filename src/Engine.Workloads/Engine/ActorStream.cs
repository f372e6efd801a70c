using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>The producer side shared by the streaming actor workloads (hop, pipeline4).</summary>
internal static class ActorStream
{
    /// <summary>Sends <see cref="BaselineNames.Messages"/> ints into <paramref name="target"/> and waits for the sink's checksum.</summary>
    public static async ValueTask<long> SendAllAsync(ActorRef<int> target, Countdown sink, CancellationToken cancellationToken)
    {
        var done = sink.Arm(BaselineNames.Messages);
        for (var m = 0; m < BaselineNames.Messages; m++)
        {
            await target.SendAsync(m, cancellationToken).ConfigureAwait(false);
        }

        return await done.ConfigureAwait(false);
    }
}
