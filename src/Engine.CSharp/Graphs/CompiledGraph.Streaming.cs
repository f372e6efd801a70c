using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>Streaming a run's events through a channel.</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    private async IAsyncEnumerable<GraphEvent> StreamCoreAsync(RunStart start, RunOptions? runOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<GraphEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var completion = ExecuteAsync(start, runOptions, channel.Writer, stop.Token).ContinueWith(
            static t => t.GetAwaiter().GetResult().Completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observed below when the stream ran to its end; an abandoned stream swallows it.
            }
        }

        try
        {
            await completion.ConfigureAwait(false);
        }
        catch (GraphInterruptedException)
        {
            // The stream ended with an InterruptedEvent: an interrupt is an outcome, not a failure, when streaming.
        }
    }
}
