namespace Graph.Engine.Actors;

/// <summary>Something that happened in an actor system, published on <see cref="ActorSystem.Events"/>.</summary>
/// <param name="Path">The path of the actor concerned.</param>
/// <param name="Timestamp">When it happened, from the system's <see cref="TimeProvider"/>.</param>
public abstract record ActorEvent(string Path, DateTimeOffset Timestamp);

/// <summary>An actor was spawned and accepts messages.</summary>
public sealed record ActorStarted(string Path, DateTimeOffset Timestamp) : ActorEvent(Path, Timestamp);

/// <summary>An actor stopped (<see cref="ActorState.Stopped"/> or <see cref="ActorState.Faulted"/>).</summary>
/// <param name="Path">The actor's path.</param>
/// <param name="Timestamp">When it stopped.</param>
/// <param name="FinalState">Its final state.</param>
/// <param name="Reason">The failure that stopped it, if any.</param>
public sealed record ActorStopped(string Path, DateTimeOffset Timestamp, ActorState FinalState, Exception? Reason) : ActorEvent(Path, Timestamp);

/// <summary>An actor's handler threw.</summary>
/// <param name="Path">The actor's path.</param>
/// <param name="Timestamp">When it failed.</param>
/// <param name="Exception">What the handler threw.</param>
/// <param name="Message">The message being handled.</param>
public sealed record ActorFailed(string Path, DateTimeOffset Timestamp, Exception Exception, object? Message) : ActorEvent(Path, Timestamp);

/// <summary>An actor's handler has been running longer than <see cref="ActorSystemOptions.SlowHandlerThreshold"/>.</summary>
/// <param name="Path">The actor's path.</param>
/// <param name="Timestamp">When the watchdog noticed.</param>
/// <param name="MessageType">The type of the message being handled.</param>
/// <param name="Elapsed">How long the handler had been running.</param>
public sealed record SlowHandler(string Path, DateTimeOffset Timestamp, Type MessageType, TimeSpan Elapsed) : ActorEvent(Path, Timestamp);
