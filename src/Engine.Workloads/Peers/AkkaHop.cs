using Akka.Actor;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Peers;

/// <summary>hop on Akka.NET: one producer tells 100k ints to one actor (unbounded mailbox, boxed messages).</summary>
public sealed class AkkaHop() : Workload(WorkloadNames.Hop, PeerNames.AkkaNet, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private IActorRef? consumer;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = AkkaSystems.Create("hop");
        var counter = countdown;
        consumer = system.ActorOf(Props.Create(() => new AkkaSink(counter.Signal)), "consumer");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = consumer!;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                target.Tell(m, ActorRefs.NoSender);
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => AkkaSystems.TerminateAsync(system);
}
