namespace Graph.Engine.Actors;

/// <summary>One actor's line in an <see cref="ActorSystemHealth"/> snapshot.</summary>
/// <param name="Path">The actor's path.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="QueueLength">Messages waiting in its mailbox.</param>
/// <param name="Capacity">Its mailbox capacity, or <see cref="MailboxOptions.UnboundedCapacity"/>.</param>
public sealed record ActorHealth(string Path, ActorState State, int QueueLength, int Capacity)
{
    /// <summary>Queue length divided by capacity (0 for an unbounded mailbox).</summary>
    public double Utilization => Capacity > 0 ? (double)QueueLength / Capacity : 0;
}

/// <summary>A recent handler failure, as reported by <see cref="ActorSystem.GetHealth"/>.</summary>
/// <param name="Path">The actor that failed.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Exception">What its handler threw.</param>
/// <param name="MessageType">The type of the message it was handling.</param>
public sealed record ActorFailureRecord(string Path, DateTimeOffset Timestamp, Exception Exception, Type MessageType);

/// <summary>A snapshot of an actor system, suitable for a health check.</summary>
/// <param name="Actors">Every live actor.</param>
/// <param name="RecentFailures">The most recent handler failures, newest first.</param>
public sealed record ActorSystemHealth(IReadOnlyList<ActorHealth> Actors, IReadOnlyList<ActorFailureRecord> RecentFailures)
{
    /// <summary>How many actors are in each state.</summary>
    public IReadOnlyDictionary<ActorState, int> CountByState =>
        Actors.GroupBy(a => a.State).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The highest mailbox utilisation of any bounded actor.</summary>
    public double MaxUtilization => Actors.Count == 0 ? 0 : Actors.Max(a => a.Utilization);
}
