using Graph.Engine.Workloads.Baselines;
using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>hop on Proto.Actor: one producer sends 100k ints to one actor with <c>Root.Send</c> (unbounded mailbox, boxed messages).</summary>
public sealed class ProtoHop() : Workload(WorkloadNames.Hop, PeerNames.ProtoActor, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActorSystem? system;
    private PID? consumer;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem();
        consumer = system.Root.Spawn(ProtoProps.Sink(countdown));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var root = system!.Root;
        var target = consumer!;
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
