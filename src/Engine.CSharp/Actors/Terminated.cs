namespace Graph.Engine.Actors;

/// <summary>
/// A watched actor has stopped (<see cref="ActorWatch.Watch{TMessage}"/>; OTP's <c>'DOWN'</c> monitor message,
/// Akka's <c>Terminated</c>).
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
/// <param name="FinalState"><see cref="ActorState.Stopped"/>, or <see cref="ActorState.Faulted"/> after a failure.</param>
/// <param name="Reason">The failure when faulted; otherwise null.</param>
public sealed record Terminated(ActorRef Actor, ActorState FinalState, Exception? Reason);
