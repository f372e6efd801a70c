using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>hop on a bare <see cref="ActionBlock{TInput}"/> (default options): one producer posts 100k ints to one consumer.</summary>
public sealed class ActionBlockHop() : Workload(WorkloadNames.Hop, BaselineNames.ActionBlock, MeasureKind.PerMessage, BaselineNames.Messages)
{
    private readonly Countdown countdown = new();
    private ActionBlock<int>? consumer;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var counter = countdown;
        consumer = new ActionBlock<int>(counter.Signal);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = consumer!;
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                target.Post(m);
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (consumer is not null)
        {
            consumer.Complete();
            await consumer.Completion.ConfigureAwait(false);
        }
    }
}
