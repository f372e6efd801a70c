using Akka.Actor;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Peers;

/// <summary>pipeline4 on 4 Akka.NET actors in a row (unbounded mailboxes, so no back-pressure).</summary>
public sealed class AkkaPipeline4() : Workload(WorkloadNames.Pipeline4, PeerNames.AkkaNet, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private IActorRef? first;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = AkkaSystems.Create("pipeline4");
        var counter = countdown;
        var next = system.ActorOf(Props.Create(() => new AkkaSink(counter.Signal)), "stage4");
        for (var stage = ActionBlockPipeline4.Stages - 1; stage >= 1; stage--)
        {
            var downstream = next;
            next = system.ActorOf(Props.Create(() => new AkkaForwarder(downstream)), $"stage{stage}");
        }

        first = next;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = first!;
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
