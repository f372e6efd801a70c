using Graph.Engine.Workloads.Baselines;
using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>pingpong between two Proto.Actor actors: the ponger responds to the sender, the pinger asks for the next.</summary>
public sealed class ProtoPingPong() : Workload(WorkloadNames.PingPong, PeerNames.ProtoActor, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private static readonly object Start = new();
    private readonly PingPongState state = new();
    private ActorSystem? system;
    private PID? pinger;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem();
        var ponger = system.Root.Spawn(Props.FromFunc(context =>
        {
            if (context.Message is int)
            {
                context.Respond(context.Message);
            }

            return Task.CompletedTask;
        }));
        var shared = state;
        pinger = system.Root.Spawn(Props.FromFunc(context =>
        {
            if (ReferenceEquals(context.Message, Start))
            {
                context.Request(ponger, 1);
            }
            else if (context.Message is int n)
            {
                shared.OnReply(n, next =>
                {
                    context.Request(ponger, next);
                    return true;
                });
            }

            return Task.CompletedTask;
        }));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var done = state.Arm();
            system!.Root.Send(pinger!, Start);
            Check(await done.ConfigureAwait(false), BaselineNames.RoundTrips);
        }
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => ProtoProps.ShutdownAsync(system);
}
