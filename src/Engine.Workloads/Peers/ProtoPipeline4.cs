using Graph.Engine.Workloads.Baselines;
using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>pipeline4 on 4 Proto.Actor actors in a row (unbounded mailboxes, so no back-pressure).</summary>
public sealed class ProtoPipeline4() : Workload(WorkloadNames.Pipeline4, PeerNames.ProtoActor, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private PID? first;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem();
        var next = system.Root.Spawn(ProtoProps.Sink(countdown));
        for (var stage = ActionBlockPipeline4.Stages - 1; stage >= 1; stage--)
        {
            next = system.Root.Spawn(ProtoProps.Forwarder(next));
        }

        first = next;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var root = system!.Root;
        var target = first!;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                root.Send(target, m);
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => ProtoProps.ShutdownAsync(system);
}
