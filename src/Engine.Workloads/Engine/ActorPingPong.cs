using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>pingpong between two engine actors: request n, reply n, request n+1; one iteration is <see cref="BaselineNames.RoundTrips"/> round trips.</summary>
public sealed class ActorPingPong() : Workload(WorkloadNames.PingPong, EngineImplementation, MeasureKind.PerRun, BaselineNames.RoundTrips)
{
    private readonly PingPongState state = new();
    private ActorSystem? system;
    private ActorRef<int>? ponger;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem("pingpong");
        var options = new ActorOptions { Mailbox = MailboxOptions.Bounded(BaselineNames.MailboxCapacity) };
        ActorRef<int>? pinger = null;
        var shared = state;
        ponger = system.Spawn<int>("ponger", (n, _) => pinger!.SendAsync(n), options);
        var requests = ponger;
        Func<int, ValueTask> request = n => requests.SendAsync(n);
        pinger = system.Spawn<int>("pinger", (n, _) =>
        {
            shared.OnReply(n, request);
            return ValueTask.CompletedTask;
        }, options);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var done = state.Arm();
            await ponger!.SendAsync(1, cancellationToken).ConfigureAwait(false);
            Check(await done.ConfigureAwait(false), BaselineNames.RoundTrips);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (system is not null)
        {
            await system.DisposeAsync().ConfigureAwait(false);
        }
    }
}
