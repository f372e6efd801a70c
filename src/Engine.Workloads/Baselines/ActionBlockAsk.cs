using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>ask on a bare <see cref="ActionBlock{TInput}"/>: the request carries a <see cref="TaskCompletionSource{TResult}"/> the block completes with n + 1.</summary>
public sealed class ActionBlockAsk() : Workload(WorkloadNames.Ask, BaselineNames.ActionBlock, MeasureKind.PerRun, BaselineNames.Asks)
{
    private ActionBlock<(int Value, TaskCompletionSource<int> Reply)>? responder;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        responder = new ActionBlock<(int Value, TaskCompletionSource<int> Reply)>(static q => q.Reply.TrySetResult(q.Value + 1));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var target = responder!;
        for (var i = 0; i < iterations; i++)
        {
            var n = 0;
            for (var a = 0; a < BaselineNames.Asks; a++)
            {
                var reply = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                target.Post((n, reply));
                n = await reply.Task.ConfigureAwait(false);
            }

            Check(n, BaselineNames.Asks);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        if (responder is not null)
        {
            responder.Complete();
            await responder.Completion.ConfigureAwait(false);
        }
    }
}
