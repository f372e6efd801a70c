using System.Threading.Channels;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>A run's events streamed to the client as an async enumerable grain call.</summary>
internal sealed partial class ThreadGrain
{
    /// <summary>Events held for a slow client before the run waits for it (at its next event).</summary>
    private const int StreamBuffer = 256;

    public async IAsyncEnumerable<WireEvent> StreamAsync(WireRunCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var events = Channel.CreateBounded<WireEvent>(new BoundedChannelOptions(StreamBuffer) { SingleReader = true, SingleWriter = true });
        var run = RunCoreAsync(call, events.Writer);
        _ = run.ContinueWith(
            static (t, writer) => ((ChannelWriter<WireEvent>)writer!).TryComplete(t.IsCanceled ? new OperationCanceledException() : t.Exception?.InnerException),
            events.Writer,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var finished = false;
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync())
            {
                yield return e;
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                await CancelAsync(call.CallId); // the client stopped reading, or went away: the run stops with its stream
            }
        }
    }
}
