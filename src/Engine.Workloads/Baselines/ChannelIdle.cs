using System.Threading.Channels;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>idle-actor as a bounded <see cref="Channel{T}"/> of capacity 10,000 with its reader loop parked on <c>WaitToReadAsync</c>.</summary>
public sealed class ChannelIdle() : IdleWorkload(WorkloadNames.IdleActor, BaselineNames.Channel)
{
    private static readonly BoundedChannelOptions Options = new(BaselineNames.IdleMailboxCapacity) { SingleReader = true };

    /// <inheritdoc/>
    public override ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<int>(Options);
        // Called directly, the loop runs synchronously up to its first await and is parked when this returns.
        var loop = ConsumeAsync(channel.Reader);
        return new(new IdleChannel(channel, loop));
    }

    /// <inheritdoc/>
    public override async ValueTask ReleaseAsync(object instance)
    {
        var idle = (IdleChannel)instance;
        idle.Channel.Writer.TryComplete();
        await idle.Loop.ConfigureAwait(false);
    }

    private static async Task ConsumeAsync(ChannelReader<int> reader)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out _))
            {
            }
        }
    }

    private sealed record IdleChannel(Channel<int> Channel, Task Loop);
}
