using System.Runtime.CompilerServices;
using Graph.Engine.Graphs;
using Graph.Engine.Orleans.Wire;

namespace Graph.Engine.Orleans;

/// <summary>Streaming a run's events from the silo that hosts it.</summary>
public sealed partial class ClusterGraph<TState, TUpdate>
{
    /// <summary>
    /// Runs the graph from <paramref name="input"/> on thread <see cref="RunOptions.ThreadId"/> (a new thread when null)
    /// and yields its events as the silo hosting the run produces them, as
    /// <see cref="CompiledGraph{TState, TUpdate}.StreamAsync(TState, RunOptions?, CancellationToken)"/> does: task started
    /// and finished (with the task's update), step finished, custom, join skipped, interrupted, checkpoint saved, events
    /// dropped, and finally run finished or run failed (after which the enumeration throws). Subgraph events stay on the
    /// silo. Stopping the enumeration early cancels the run.
    /// </summary>
    /// <remarks>
    /// A stream does not survive the loss of its silo: the enumeration throws, while the run itself is resumed on a
    /// survivor from its last checkpoint (docs/scale-out.md). Ask for its outcome with <see cref="GetStateAsync"/>.
    /// </remarks>
    /// <param name="input">The initial state.</param>
    /// <param name="runOptions">Run options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run's events.</returns>
    /// <exception cref="ThreadBusyException">The thread has a run in flight (<see cref="DoubleTexting.Reject"/>).</exception>
    public async IAsyncEnumerable<GraphEvent> StreamAsync(TState input, RunOptions? runOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var threadId = runOptions?.ThreadId ?? Guid.NewGuid().ToString("N");
        var call = Call(new ClusterCallOptions(), runOptions, resume: false) with { Input = codec.Encode(input) };
        var grain = grains.GetGrain<IThreadGrain>(threadId);
        using var cancel = cancellationToken.Register(() => _ = grain.CancelAsync(call.CallId));
        var events = grain.StreamAsync(call).WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        var ended = false;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync();
                }
                catch
                {
                    ended = true;
                    throw;
                }

                if (!more)
                {
                    ended = true;
                    yield break;
                }

                yield return WireEventCodec.Decode<TState, TUpdate>(codec, events.Current);
            }
        }
        finally
        {
            if (!ended)
            {
                // The caller stopped reading: the grain's side of the stream may be waiting for the next event, so the
                // run is cancelled by name rather than by disposing the remote enumerator alone.
                await grain.CancelAsync(call.CallId).ConfigureAwait(false);
            }

            await events.DisposeAsync();
        }
    }
}
