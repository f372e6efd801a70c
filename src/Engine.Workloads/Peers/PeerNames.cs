namespace Graph.Engine.Workloads.Peers;

/// <summary>The <see cref="Workload.Implementation"/> names of the peer actor runtimes measured beside the engine.</summary>
/// <remarks>
/// Both peers run with their defaults, which is their idiomatic fastest path and not quite the engine's contract:
/// their mailboxes are unbounded (no back-pressure, no capacity to honour) and every message is boxed to <see cref="object"/>.
/// </remarks>
public static class PeerNames
{
    /// <summary>Akka.NET's local actors (<c>UntypedActor</c>, <c>Tell</c>), default unbounded mailbox and dispatcher.</summary>
    public const string AkkaNet = "Akka.NET 1.5.74";

    /// <summary>Proto.Actor's local actors (<c>Props.FromFunc</c>, <c>Root.Send</c>), default unbounded mailbox and dispatcher.</summary>
    public const string ProtoActor = "Proto.Actor 1.8.0";
}
