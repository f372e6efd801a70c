using System.Threading.Channels;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>pipeline4 on 4 bounded <see cref="Channel{T}"/>s (capacity <see cref="BaselineNames.MailboxCapacity"/>), one reader loop each.</summary>
public sealed class ChannelPipeline4() : Workload(WorkloadNames.Pipeline4, BaselineNames.Channel, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private readonly Channel<int>[] channels = new Channel<int>[ActionBlockPipeline4.Stages];
    private readonly Task[] loops = new Task[ActionBlockPipeline4.Stages];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var options = new BoundedChannelOptions(BaselineNames.MailboxCapacity) { SingleReader = true, SingleWriter = true };
        for (var i = 0; i < channels.Length; i++)
        {
            channels[i] = Channel.CreateBounded<int>(options);
        }

        var counter = countdown;
        for (var i = 0; i < channels.Length; i++)
        {
            var reader = channels[i].Reader;
            var next = i + 1 < channels.Length ? channels[i + 1].Writer : null;
            loops[i] = Task.Run(() => PumpAsync(reader, next, counter), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = channels[0].Writer;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                if (!first.TryWrite(m))
                {
                    await first.WriteAsync(m, cancellationToken).ConfigureAwait(false);
                }
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        for (var i = 0; i < channels.Length; i++)
        {
            channels[i]?.Writer.TryComplete();
            if (loops[i] is { } loop)
            {
                await loop.ConfigureAwait(false);
            }
        }
    }

    private static async Task PumpAsync(ChannelReader<int> reader, ChannelWriter<int>? next, Countdown counter)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                if (next is null)
                {
                    counter.Signal(message);
                }
                else if (!next.TryWrite(message))
                {
                    await next.WriteAsync(message).ConfigureAwait(false);
                }
            }
        }
    }
}
