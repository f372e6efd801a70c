using Akka.Actor;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Peers;

/// <summary>pingpong between two Akka.NET actors: the ponger replies to <c>Sender</c>, the pinger asks for the next.</summary>
public sealed class AkkaPingPong() : Workload(WorkloadNames.PingPong, PeerNames.AkkaNet, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private readonly PingPongState state = new();
    private ActorSystem? system;
    private IActorRef? pinger;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = AkkaSystems.Create("pingpong");
        var ponger = system.ActorOf(Props.Create(() => new Ponger()), "ponger");
        var shared = state;
        pinger = system.ActorOf(Props.Create(() => new Pinger(ponger, shared)), "pinger");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var done = state.Arm();
            pinger!.Tell(Start, ActorRefs.NoSender);
            Check(await done.ConfigureAwait(false), BaselineNames.RoundTrips);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => AkkaSystems.TerminateAsync(system);

    private static readonly object Start = new();

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    private sealed class Pinger(IActorRef ponger, PingPongState state) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (ReferenceEquals(message, Start))
            {
                ponger.Tell(1, Self);
                return;
            }

            state.OnReply((int)message, n =>
            {
                ponger.Tell(n, Self);
                return true;
            });
        }
    }
}
