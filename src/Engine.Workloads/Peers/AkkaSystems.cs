using Akka.Actor;
using Akka.Configuration;

namespace Graph.Engine.Workloads.Peers;

/// <summary>Creates the Akka.NET systems of the peer workloads, quiet (no logging to standard output) and otherwise default.</summary>
internal static class AkkaSystems
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString(
        """
        akka.loglevel = ERROR
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """);

    public static ActorSystem Create(string name) => ActorSystem.Create(name, Quiet);

    public static async ValueTask TerminateAsync(ActorSystem? system)
    {
        if (system is not null)
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}

/// <summary>An Akka.NET actor that hands each int to a callback (the sink of hop and pipeline4).</summary>
internal sealed class AkkaSink(Action<int> onMessage) : UntypedActor
{
    protected override void OnReceive(object message) => onMessage((int)message);
}

/// <summary>An Akka.NET actor that forwards each message to the next stage of pipeline4.</summary>
internal sealed class AkkaForwarder(IActorRef next) : UntypedActor
{
    protected override void OnReceive(object message) => next.Tell(message, ActorRefs.NoSender);
}
