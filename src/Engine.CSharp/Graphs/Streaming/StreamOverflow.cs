namespace Graph.Engine.Graphs;

/// <summary>What a run does when its stream's buffer (<see cref="StreamOptions.BufferCapacity"/>) is full.</summary>
public enum StreamOverflow
{
    /// <summary>The run waits at its next step boundary (and <see cref="NodeContext.EmitAsync"/> waits) until the consumer reads: a slow consumer slows the run. The default.</summary>
    Wait,

    /// <summary>The new event is dropped and counted; the run never waits.</summary>
    DropNewest,

    /// <summary>The oldest unread event is dropped and counted; the run never waits.</summary>
    DropOldest,
}
