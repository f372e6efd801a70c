using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>idle-actor as a bare <see cref="ActionBlock{TInput}"/> with <c>BoundedCapacity</c> 10,000 that never receives a message.</summary>
public sealed class ActionBlockIdle() : IdleWorkload(WorkloadNames.IdleActor, BaselineNames.ActionBlock)
{
    private static readonly ExecutionDataflowBlockOptions Options = new() { BoundedCapacity = BaselineNames.IdleMailboxCapacity };

    /// <inheritdoc/>
    public override ValueTask<object> CreateIdleAsync(CancellationToken cancellationToken) =>
        new(new ActionBlock<int>(static _ => { }, Options));

    /// <inheritdoc/>
    public override async ValueTask ReleaseAsync(object instance)
    {
        var block = (ActionBlock<int>)instance;
        block.Complete();
        await block.Completion.ConfigureAwait(false);
    }
}
