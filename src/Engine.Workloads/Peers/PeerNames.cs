namespace Graph.Engine.Workloads.Peers;

/// <summary>The <see cref="Workload.Implementation"/> names of the peer runtimes measured beside the engine.</summary>
/// <remarks>
/// The two actor peers run with their defaults, which is their idiomatic fastest path and not quite the engine's contract:
/// their mailboxes are unbounded (no back-pressure, no capacity to honour) and every message is boxed to <see cref="object"/>.
/// </remarks>
public static class PeerNames
{
    /// <summary>Akka.NET's local actors (<c>UntypedActor</c>, <c>Tell</c>), default unbounded mailbox and dispatcher.</summary>
    public const string AkkaNet = "Akka.NET 1.5.74";

    /// <summary>Proto.Actor's local actors (<c>Props.FromFunc</c>, <c>Root.Send</c>), default unbounded mailbox and dispatcher.</summary>
    public const string ProtoActor = "Proto.Actor 1.8.0";

    /// <summary>Microsoft Agent Framework Workflows (<c>Microsoft.Agents.AI.Workflows</c>), in process, concurrent runs (see <see cref="MafWorkflows"/>).</summary>
    public const string MafWorkflows = "MAF Workflows 1.28.0";
}
