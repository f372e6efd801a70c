using Graph.Engine.Actors;
using Graph.Engine.Workloads.Baselines;

namespace Graph.Engine.Workloads.Engine;

/// <summary>idle-actor on the engine: an actor with mailbox capacity 10,000 that never receives a message.</summary>
public sealed class ActorIdle() : IdleWorkload(WorkloadNames.IdleActor, EngineImplementation)
{
    private static readonly ActorOptions Options = new() { Mailbox = MailboxOptions.Bounded(BaselineNames.IdleMailboxCapacity) };
    private readonly ActorSystem system = new("idle");
    private long next;

    /// <inheritdoc/>
    public override ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken) =>
        new(system.Spawn<int>($"a{Interlocked.Increment(ref next)}", static (_, _) => ValueTask.CompletedTask, Options));

    /// <inheritdoc/>
    public override async ValueTask ReleaseAsync(object instance) => await ((ActorRef)instance).StopAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync() => await system.DisposeAsync().ConfigureAwait(false);
}
