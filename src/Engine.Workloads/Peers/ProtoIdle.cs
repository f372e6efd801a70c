using Proto;

namespace Graph.Engine.Workloads.Peers;

/// <summary>idle-actor on Proto.Actor: an actor with the default (unbounded) mailbox that never receives a message.</summary>
public sealed class ProtoIdle() : IdleWorkload(WorkloadNames.IdleActor, PeerNames.ProtoActor)
{
    private static readonly Props Idle = Props.FromFunc(static _ => Task.CompletedTask);
    private ActorSystem? system;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        system = new ActorSystem();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken) => new(system!.Root.Spawn(Idle));

    /// <inheritdoc/>
    public override async ValueTask ReleaseAsync(object instance) => await system!.Root.StopAsync((PID)instance).ConfigureAwait(false);

    /// <inheritdoc/>
    public override ValueTask TeardownAsync() => ProtoProps.ShutdownAsync(system);
}
