namespace Graph.Engine.Supervision;

/// <summary>The result of <see cref="Supervisor.CountChildrenAsync"/> (OTP's <c>count_children</c>).</summary>
/// <param name="Specs">Child specs, running or not.</param>
/// <param name="Active">Children running.</param>
/// <param name="Supervisors">Specs of kind <see cref="ChildKind.Supervisor"/>.</param>
/// <param name="Workers">Specs of kind <see cref="ChildKind.Worker"/>.</param>
public sealed record ChildCounts(int Specs, int Active, int Supervisors, int Workers);
