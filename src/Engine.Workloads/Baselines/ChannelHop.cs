using System.Threading.Channels;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>hop on a bounded <see cref="Channel{T}"/> (capacity <see cref="BaselineNames.MailboxCapacity"/>) with one reader loop.</summary>
public sealed class ChannelHop() : Workload(WorkloadNames.Hop, BaselineNames.Channel, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private Channel<int>? channel;
    private Task? loop;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        channel = Channel.CreateBounded<int>(new BoundedChannelOptions(BaselineNames.MailboxCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var reader = channel.Reader;
        var counter = countdown;
        loop = Task.Run(() => ConsumeAsync(reader, counter), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var writer = channel!.Writer;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                if (!writer.TryWrite(m))
                {
                    await writer.WriteAsync(m, cancellationToken).ConfigureAwait(false);
                }
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        channel?.Writer.TryComplete();
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    private static async Task ConsumeAsync(ChannelReader<int> reader, Countdown counter)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                counter.Signal(message);
            }
        }
    }
}
