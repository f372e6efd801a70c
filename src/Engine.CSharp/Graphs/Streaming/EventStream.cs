using System.Diagnostics;
using Graph.Engine.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The bounded buffer between a streamed run and its consumer: filters by <see cref="StreamModes"/>, numbers the
/// events (<see cref="GraphEvent.Id"/>), applies <see cref="StreamOverflow"/>, and keeps a durable run's events in a
/// replay buffer while no consumer reads (<see cref="StreamOptions.ReplayCapacity"/>).
/// </summary>
/// <remarks>
/// One lock guards the queue and the flags; waiters (the reader, and a run waiting for room) are completed outside it
/// with continuations that run asynchronously. The run's last event is never dropped or filtered.
/// </remarks>
[DebuggerDisplay("{queue.Count} buffered, {dropped} dropped")]
internal sealed class EventStream(StreamOptions options, int replayCapacity) : EventSink
{
    private readonly Lock gate = new();
    private readonly Queue<GraphEvent> queue = new();
    private long nextId;
    private long dropped;
    private bool completed;
    private bool attached = true;
    private bool abandoned;
    private TaskCompletionSource<bool>? readable;
    private TaskCompletionSource? room;

    /// <summary>The run's completion (its final state), awaited by whoever reads the stream to its end.</summary>
    public Task? RunCompletion { get; set; }

    public override bool WantsSubgraphs => (options.Modes & StreamModes.Subgraphs) != 0;

    public override bool TryWrite(GraphEvent item)
    {
        var terminal = IsTerminal(item);
        if (!terminal && !Wanted(item))
        {
            return true;
        }

        TaskCompletionSource<bool>? wake;
        lock (gate)
        {
            if (completed || abandoned)
            {
                return false;
            }

            if (terminal && dropped > 0)
            {
                queue.Enqueue(new EventsDroppedEvent(item.RunId, item.Step, dropped) { Id = ++nextId });
            }

            item.Id = ++nextId;
            if (!terminal && !Admit())
            {
                return true;
            }

            queue.Enqueue(item);
            wake = readable;
            readable = null;
        }

        wake?.TrySetResult(true);
        return true;
    }

    public override bool TryComplete(Exception? error = null)
    {
        TaskCompletionSource<bool>? wake;
        TaskCompletionSource? free;
        lock (gate)
        {
            if (completed)
            {
                return false;
            }

            completed = true;
            (wake, readable, free, room) = (readable, null, room, null);
        }

        wake?.TrySetResult(false);
        free?.TrySetResult();
        return true;
    }

    public override ValueTask WaitForRoomAsync()
    {
        lock (gate)
        {
            if (options.Overflow != StreamOverflow.Wait || !attached || completed || abandoned || queue.Count < options.BufferCapacity)
            {
                return default;
            }

            room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(room.Task);
        }
    }

    /// <summary>Waits until an event can be read (true) or the stream has ended and is empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (queue.Count > 0 || completed)
            {
                return new(queue.Count > 0);
            }

            readable ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return new(readable.Task.WaitAsync(cancellationToken));
        }
    }

    public bool TryRead(out GraphEvent item)
    {
        TaskCompletionSource? free = null;
        lock (gate)
        {
            if (!queue.TryDequeue(out item!))
            {
                return false;
            }

            if (room is not null && queue.Count < options.BufferCapacity)
            {
                (free, room) = (room, null);
            }
        }

        free?.TrySetResult();
        return true;
    }

    /// <summary>
    /// The consumer stopped reading before the end. With a replay buffer the run goes on and its events are kept (the
    /// oldest dropped beyond <see cref="StreamOptions.ReplayCapacity"/>); without one the stream is abandoned.
    /// </summary>
    public void Detach()
    {
        TaskCompletionSource? free;
        lock (gate)
        {
            attached = false;
            abandoned = replayCapacity == 0;
            if (abandoned)
            {
                queue.Clear();
            }

            Trim(replayCapacity);
            (free, room) = (room, null);
        }

        free?.TrySetResult();
    }

    /// <summary>A consumer continues the stream after event <paramref name="afterId"/>.</summary>
    /// <exception cref="InvalidOperationException">Someone reads the stream already, or events after <paramref name="afterId"/> were dropped.</exception>
    public void Attach(long afterId)
    {
        lock (gate)
        {
            if (attached)
            {
                throw new InvalidOperationException("The stream is being read by another consumer; only a stream left before its end can be re-attached.");
            }

            if (afterId > nextId)
            {
                throw new ArgumentOutOfRangeException(nameof(afterId), afterId, $"The run has written events up to {nextId} only.");
            }

            while (queue.TryPeek(out var head) && head.Id <= afterId)
            {
                queue.Dequeue();
            }

            var first = queue.TryPeek(out var next) ? next.Id : nextId + 1;
            if (first > afterId + 1)
            {
                throw new InvalidOperationException(
                    $"Events {afterId + 1} to {first - 1} of the run are no longer buffered (StreamOptions.ReplayCapacity is {replayCapacity}); read the thread's state with GetStateAsync instead.");
            }

            attached = true;
        }
    }

    private static bool IsTerminal(GraphEvent e) =>
        e is RunFailedEvent or InterruptedEvent
        || (e.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(RunFinishedEvent<>));

    private static StreamModes KindOf(GraphEvent e) => e switch
    {
        TaskStartedEvent => StreamModes.Tasks,
        CustomEvent => StreamModes.Custom,
        CheckpointSavedEvent => StreamModes.Checkpoints,
        JoinSkippedEvent or EventsDroppedEvent => StreamModes.Debug,
        _ when e.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(TaskFinishedEvent<>) => StreamModes.Updates | StreamModes.Tasks,
        _ when e.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(StepFinishedEvent<>) => StreamModes.Values,
        _ => StreamModes.Debug | StreamModes.Values, // a subgraph run's last event
    };

    private bool Wanted(GraphEvent e)
    {
        var modes = options.Modes;
        if (e is SubgraphEvent s)
        {
            return (modes & StreamModes.Subgraphs) != 0 && ((modes & StreamModes.Debug) != 0 || (KindOf(s.Event) & modes) != 0);
        }

        return (modes & StreamModes.Debug) != 0 || (KindOf(e) & modes) != 0;
    }

    /// <summary>Decides under the lock whether a non-final event is queued, dropping by the overflow policy.</summary>
    private bool Admit()
    {
        var limit = attached ? options.BufferCapacity : replayCapacity;
        var overflow = attached ? options.Overflow : StreamOverflow.DropOldest;
        if (queue.Count < limit || overflow == StreamOverflow.Wait)
        {
            return true;
        }

        dropped++;
        GraphMetrics.StreamDropped.Add(1);
        if (overflow == StreamOverflow.DropNewest)
        {
            return false;
        }

        queue.Dequeue();
        return true;
    }

    private void Trim(int limit)
    {
        while (queue.Count > limit)
        {
            queue.Dequeue();
            dropped++;
            GraphMetrics.StreamDropped.Add(1);
        }
    }
}
