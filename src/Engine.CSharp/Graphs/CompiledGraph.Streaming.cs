using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>Streaming a run's events through a bounded <see cref="EventStream"/>, and re-attaching to a durable run's stream.</summary>
public sealed partial class CompiledGraph<TState, TUpdate>
{
    /// <summary>The streams of durable runs whose consumer left early, by thread (<see cref="StreamOptions.ReplayCapacity"/>).</summary>
    private ConcurrentDictionary<string, EventStream>? replays;

    /// <summary>
    /// Runs the graph and yields the events <paramref name="streamOptions"/> asks for, through a bounded buffer: by
    /// default a consumer that falls <see cref="StreamOptions.BufferCapacity"/> events behind holds the run back at its
    /// next step; <see cref="StreamOverflow.DropNewest"/> or <see cref="StreamOverflow.DropOldest"/> drop events instead
    /// and report how many (<see cref="EventsDroppedEvent"/>). The last event is the run's end, after which the
    /// enumeration throws the run's exception, as <see cref="StreamAsync(TState, RunOptions?, CancellationToken)"/>.
    /// </summary>
    /// <param name="input">The initial state.</param>
    /// <param name="streamOptions">What to stream and how to bound it.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="streamOptions"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stream option is out of range.</exception>
    public IAsyncEnumerable<GraphEvent> StreamAsync(TState input, StreamOptions streamOptions, RunOptions? runOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(streamOptions);
        streamOptions.Validate();
        return StreamCoreAsync(RunStart.New(input), runOptions, streamOptions, cancellationToken);
    }

    /// <summary>
    /// Continues the stream of a durable run on <paramref name="threadId"/> whose consumer stopped reading early, from
    /// the event after <paramref name="afterEventId"/> (the last <see cref="GraphEvent.Id"/> it saw). The run was
    /// started with <see cref="StreamOptions.ReplayCapacity"/> above 0; its events since the consumer left are kept in
    /// that replay buffer, and the re-attached stream follows the run live to its end.
    /// </summary>
    /// <param name="threadId">The run's thread.</param>
    /// <param name="afterEventId">The last event id the consumer saw (0 for the start of what is buffered).</param>
    /// <param name="cancellationToken">Stops reading (the run goes on, and can be re-attached again).</param>
    /// <returns>The events after <paramref name="afterEventId"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="threadId"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The thread has no stream left early, someone is reading it, or events after <paramref name="afterEventId"/>
    /// were dropped from the replay buffer.
    /// </exception>
    public IAsyncEnumerable<GraphEvent> ReattachAsync(string threadId, long afterEventId, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(threadId);
        if (replays is null || !replays.TryGetValue(threadId, out var stream))
        {
            throw new InvalidOperationException(
                $"Thread '{threadId}' has no stream to re-attach: only a durable run streamed with StreamOptions.ReplayCapacity > 0 whose consumer left before its end can be re-attached.");
        }

        stream.Attach(afterEventId);
        return ReadAsync(stream, threadId, null, cancellationToken);
    }

    /// <summary>Runs a subgraph writing its events into the parent run's <paramref name="sink"/>.</summary>
    internal async Task<TState> InvokeIntoAsync(TState input, RunOptions? runOptions, ChannelWriter<GraphEvent> sink, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var run = await ExecuteAsync(RunStart.New(input), runOptions, sink, cancellationToken).ConfigureAwait(false);
        return await run.Completion.ConfigureAwait(false);
    }

    private IAsyncEnumerable<GraphEvent> StreamCoreAsync(RunStart start, RunOptions? runOptions, CancellationToken cancellationToken) =>
        StreamCoreAsync(start, runOptions, StreamOptions.Default, cancellationToken);

    private IAsyncEnumerable<GraphEvent> StreamCoreAsync(RunStart start, RunOptions? runOptions, StreamOptions streamOptions, CancellationToken cancellationToken)
    {
        var threadId = streamOptions.ReplayCapacity > 0 && options.Checkpointer is not null ? runOptions?.ThreadId : null;
        var stream = new EventStream(streamOptions, threadId is null ? 0 : streamOptions.ReplayCapacity);
        return ReadAsync(stream, threadId, () => Start(stream, start, runOptions, threadId, cancellationToken), cancellationToken);
    }

    /// <summary>Starts the run writing to <paramref name="stream"/>; returns what cancels it when the consumer leaves a stream that cannot be re-attached.</summary>
    private CancellationTokenSource Start(EventStream stream, RunStart start, RunOptions? runOptions, string? threadId, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stream.RunCompletion = ExecuteAsync(start, runOptions, stream, stop.Token).AsTask().ContinueWith(
            static t => t.GetAwaiter().GetResult().Completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
        _ = stream.RunCompletion.ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Dispose(), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (threadId is not null)
        {
            LazyInitializer.EnsureInitialized(ref replays, static () => new())[threadId] = stream;
        }

        return stop;
    }

    /// <summary>
    /// Reads <paramref name="stream"/> (starting the run first when <paramref name="start"/> is given). Read to its end,
    /// it rethrows the run's failure; left early, a replayable stream is detached (the run goes on) and any other is
    /// abandoned (the run is cancelled).
    /// </summary>
    private async IAsyncEnumerable<GraphEvent> ReadAsync(EventStream stream, string? threadId, Func<CancellationTokenSource>? start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stop = start?.Invoke(); // disposed when the run completes
        var ended = false;
        try
        {
            while (await stream.WaitToReadAsync(stop is null ? cancellationToken : CancellationToken.None).ConfigureAwait(false))
            {
                while (stream.TryRead(out var e))
                {
                    yield return e;
                }
            }

            ended = true;
        }
        finally
        {
            if (!ended)
            {
                stream.Detach();
                if (threadId is null && stop is not null)
                {
                    try
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                        await stream.RunCompletion!.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // An abandoned stream swallows the run's outcome (and a run that already ended disposed its source).
                    }
                }
            }
        }

        if (threadId is not null)
        {
            replays?.TryRemove(new KeyValuePair<string, EventStream>(threadId, stream));
        }

        try
        {
            await stream.RunCompletion!.ConfigureAwait(false);
        }
        catch (GraphInterruptedException)
        {
            // The stream ended with an InterruptedEvent: an interrupt is an outcome, not a failure, when streaming.
        }
    }
}
