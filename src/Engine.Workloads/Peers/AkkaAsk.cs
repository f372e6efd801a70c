using Akka.Actor;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Peers;

/// <summary>ask on Akka.NET: <c>Ask&lt;int&gt;</c> (no timeout) to an actor that replies n + 1 to <c>Sender</c>.</summary>
public sealed class AkkaAsk() : Workload(WorkloadNames.Ask, PeerNames.AkkaNet, MeasureKind.PerRun, BaselineNames.Asks)
{
    private ActorSystem? system;
    private IActorRef? responder;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = AkkaSystems.Create("ask");
        responder = system.ActorOf(Props.Create(() => new Responder()), "responder");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = responder!;
        for (var i = 0; i < iterations; i++)
        {
            var n = 0;
            for (var a = 0; a < BaselineNames.Asks; a++)
            {
                n = await target.Ask<int>(n, cancellationToken).ConfigureAwait(false);
            }

            Check(n, BaselineNames.Asks);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => AkkaSystems.TerminateAsync(system);

    private sealed class Responder : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell((int)message + 1, Self);
    }
}
