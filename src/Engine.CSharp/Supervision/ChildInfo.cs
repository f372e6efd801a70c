using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>One line of <see cref="Supervisor.WhichChildrenAsync"/> (OTP's <c>which_children</c>).</summary>
/// <param name="Id">The child's id.</param>
/// <param name="Child">Its running actor, or <see langword="null"/> when terminated, waiting to be restarted, or ignored by its start (<see cref="ChildStart.Ignore{TMessage}"/>).</param>
/// <param name="Kind">Worker or supervisor.</param>
/// <param name="Restart">Its restart type.</param>
/// <param name="MessageType">The message type it accepts.</param>
/// <param name="IsRestarting">True while it waits for a restart delay.</param>
public sealed record ChildInfo(string Id, ActorRef? Child, ChildKind Kind, RestartType Restart, Type MessageType, bool IsRestarting);
