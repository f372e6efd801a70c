using System.Threading.Channels;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// A chain of N bounded <see cref="Channel{T}"/>s, one reader loop each, adding 1 and writing to the
/// next; one run at a time.
/// </summary>
/// <param name="length">Number of stages: 1, 10 or 100.</param>
public sealed class ChannelChain(int length)
    : Workload(BaselineNames.ChainName(length), BaselineNames.Channel, MeasureKind.PerRun)
{
    private readonly Channel<ChainHop>[] channels = new Channel<ChainHop>[length];
    private readonly Task[] loops = new Task[length];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < channels.Length; i++)
        {
            channels[i] = Channel.CreateBounded<ChainHop>(new BoundedChannelOptions(BaselineNames.MailboxCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        for (var i = 0; i < channels.Length; i++)
        {
            var reader = channels[i].Reader;
            var next = i + 1 < channels.Length ? channels[i + 1].Writer : null;
            loops[i] = Task.Run(() => PumpAsync(reader, next), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = channels[0].Writer;
        for (var i = 0; i < iterations; i++)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var hop = new ChainHop(0, done);
            if (!first.TryWrite(hop))
            {
                await first.WriteAsync(hop, cancellationToken).ConfigureAwait(false);
            }

            Check(await done.Task.ConfigureAwait(false), channels.Length);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        foreach (var channel in channels)
        {
            channel?.Writer.TryComplete();
        }

        await Task.WhenAll(loops.Where(l => l is not null)).ConfigureAwait(false);
    }

    private static async Task PumpAsync(ChannelReader<ChainHop> reader, ChannelWriter<ChainHop>? next)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var hop))
            {
                var forward = hop with { Value = hop.Value + 1 };
                if (next is null)
                {
                    forward.Done!.SetResult(forward.Value);
                }
                else if (!next.TryWrite(forward))
                {
                    await next.WriteAsync(forward).ConfigureAwait(false);
                }
            }
        }
    }
}
