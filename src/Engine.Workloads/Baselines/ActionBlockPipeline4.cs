using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// pipeline4 on 4 bounded <see cref="ActionBlock{TInput}"/>s (capacity <see cref="BaselineNames.MailboxCapacity"/>):
/// each stage forwards with <c>Post</c>, falling back to <c>SendAsync</c> when the next is full (back-pressure).
/// </summary>
public sealed class ActionBlockPipeline4() : Workload(WorkloadNames.Pipeline4, BaselineNames.ActionBlock, MeasureKind.PerMessage, BaselineNames.Messages)
{
    /// <summary>The number of stages.</summary>
    public const int Stages = 4;

    private readonly Countdown countdown = new();
    private readonly ActionBlock<int>[] stages = new ActionBlock<int>[Stages];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var options = new ExecutionDataflowBlockOptions { BoundedCapacity = BaselineNames.MailboxCapacity };
        var counter = countdown;
        stages[^1] = new ActionBlock<int>(counter.Signal, options);
        for (var i = stages.Length - 2; i >= 0; i--)
        {
            var next = stages[i + 1];
            stages[i] = new ActionBlock<int>(m => next.Post(m) ? Task.CompletedTask : next.SendAsync(m), options);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = stages[0];
        for (var i = 0; i < iterations; i++)
        {
            var done = countdown.Arm(BaselineNames.Messages);
            for (var m = 0; m < BaselineNames.Messages; m++)
            {
                if (!first.Post(m))
                {
                    await first.SendAsync(m, cancellationToken).ConfigureAwait(false);
                }
            }

            Check(await done.ConfigureAwait(false), Countdown.ExpectedSum(BaselineNames.Messages));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        foreach (var stage in stages)
        {
            if (stage is not null)
            {
                stage.Complete();
                await stage.Completion.ConfigureAwait(false);
            }
        }
    }
}
