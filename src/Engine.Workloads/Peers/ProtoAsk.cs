using Graph.Engine.Workloads.Baselines;
using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>ask on Proto.Actor: <c>Root.RequestAsync&lt;int&gt;</c> to an actor that responds n + 1.</summary>
public sealed class ProtoAsk() : Workload(WorkloadNames.Ask, PeerNames.ProtoActor, MeasureKind.PerRun, BaselineNames.Asks)
{
    private ActorSystem? system;
    private PID? responder;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem();
        responder = system.Root.Spawn(Props.FromFunc(static context =>
        {
            if (context.Message is int n)
            {
                context.Respond(n + 1);
            }

            return Task.CompletedTask;
        }));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var root = system!.Root;
        var target = responder!;
        for (var i = 0; i < iterations; i++)
        {
            var n = 0;
            for (var a = 0; a < BaselineNames.Asks; a++)
            {
                n = await root.RequestAsync<int>(target, n, cancellationToken).ConfigureAwait(false);
            }

            Check(n, BaselineNames.Asks);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => ProtoProps.ShutdownAsync(system);
}
