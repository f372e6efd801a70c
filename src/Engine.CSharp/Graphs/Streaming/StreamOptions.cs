namespace Graph.Engine.Graphs;

/// <summary>What a stream carries and how it is bounded. Immutable; derive variants with <c>with</c>.</summary>
public sealed record StreamOptions
{
    /// <summary>The default options: every kind of event, 1024 buffered, a slow consumer slows the run.</summary>
    public static StreamOptions Default { get; } = new();

    /// <summary>The kinds of events wanted.</summary>
    /// <value>Default <see cref="StreamModes.All"/>.</value>
    public StreamModes Modes { get; init; } = StreamModes.All;

    /// <summary>
    /// How many unread events the stream holds before <see cref="Overflow"/> applies. Under
    /// <see cref="StreamOverflow.Wait"/>, when a step's last task finishes and the buffer is full, the run waits before
    /// reducing that step and planning the next; events written meanwhile by running tasks (their results,
    /// <see cref="NodeContext.Emit"/>) and the step's own events are kept, so the buffer exceeds the capacity by at most
    /// about one step's events.
    /// </summary>
    /// <value>Default 1024.</value>
    public int BufferCapacity { get; init; } = 1024;

    /// <summary>What happens when the buffer is full.</summary>
    /// <value>Default <see cref="StreamOverflow.Wait"/>.</value>
    public StreamOverflow Overflow { get; init; } = StreamOverflow.Wait;

    /// <summary>
    /// For durable runs (a checkpointer and a thread id): when the consumer stops reading early, the run goes on
    /// instead of being cancelled, and its events are kept in a replay buffer of this many (the oldest dropped) so
    /// that <see cref="CompiledGraph{TState, TUpdate}.ReattachAsync"/> can continue the stream. 0 (the default): stopping
    /// the enumeration cancels the run.
    /// </summary>
    /// <value>Default 0.</value>
    public int ReplayCapacity { get; init; }

    internal void Validate()
    {
        if (BufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferCapacity), BufferCapacity, "StreamOptions.BufferCapacity must be at least 1.");
        }

        if (ReplayCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplayCapacity), ReplayCapacity, "StreamOptions.ReplayCapacity cannot be negative.");
        }

        if (!Enum.IsDefined(Overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(Overflow), Overflow, "StreamOptions.Overflow must be Wait, DropNewest or DropOldest.");
        }
    }
}
