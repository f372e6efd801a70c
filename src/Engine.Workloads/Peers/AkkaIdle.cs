using Akka.Actor;

namespace Graph.Engine.Workloads.Peers;

/// <summary>idle-actor on Akka.NET: an actor with the default (unbounded) mailbox that never receives a message.</summary>
public sealed class AkkaIdle() : IdleWorkload(WorkloadNames.IdleActor, PeerNames.AkkaNet)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly Props props = Props.Create(() => new Idle());
    private ActorSystem? system;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = AkkaSystems.Create("idle");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken) => new(system!.ActorOf(props));

    /// <inheritdoc/>
    public override async ValueTask ReleaseAsync(object instance) =>
        await ((IActorRef)instance).GracefulStop(StopTimeout).ConfigureAwait(false);

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => AkkaSystems.TerminateAsync(system);

    private sealed class Idle : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }
    }
}
