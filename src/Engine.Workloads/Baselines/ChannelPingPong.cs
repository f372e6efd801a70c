using System.Threading.Channels;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>pingpong between two reader loops over bounded <see cref="Channel{T}"/>s.</summary>
public sealed class ChannelPingPong() : Workload(WorkloadNames.PingPong, BaselineNames.Channel, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private readonly PingPongState state = new();
    private Channel<int>? requests;
    private Channel<int>? replies;
    private Task[] loops = [];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var options = new BoundedChannelOptions(BaselineNames.MailboxCapacity) { SingleReader = true, SingleWriter = true };
        var requestChannel = Channel.CreateBounded<int>(options);
        var replyChannel = Channel.CreateBounded<int>(options);
        var shared = state;
        Func<int, bool> request = requestChannel.Writer.TryWrite; // one delegate, not one per message
        var reply = replyChannel.Writer;
        loops =
        [
            Task.Run(() => PumpAsync(requestChannel.Reader, n => reply.TryWrite(n)), CancellationToken.None),
            Task.Run(() => PumpAsync(replyChannel.Reader, n => shared.OnReply(n, request)), CancellationToken.None),
        ];
        requests = requestChannel;
        replies = replyChannel;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var done = state.Arm();
            await requests!.Writer.WriteAsync(1, cancellationToken).ConfigureAwait(false);
            Check(await done.ConfigureAwait(false), BaselineNames.RoundTrips);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        requests?.Writer.TryComplete();
        replies?.Writer.TryComplete();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    // One message is in flight at a time, so TryWrite into a channel of capacity 1024 always succeeds.
    private static async Task PumpAsync(ChannelReader<int> reader, Action<int> handle)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var n))
            {
                handle(n);
            }
        }
    }
}
