using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// The hand-wired chain: N long-lived <see cref="ActionBlock{TInput}"/>s, each adding 1 and posting
/// to the next; the last completes the run's <see cref="TaskCompletionSource{TResult}"/>.
/// </summary>
/// <remarks>
/// With <paramref name="concurrentRuns"/> of 1 it is chain1/chain10/chain100, one run at a time.
/// With 1000 it is chain10-x1000: 1000 runs posted at once and awaited together (runs/s).
/// Blocks use the default options (unbounded, one message at a time), as a hand-written version would.
/// </remarks>
/// <param name="length">Number of blocks: 1, 10 or 100.</param>
/// <param name="concurrentRuns">Runs started at once per iteration: 1, or <see cref="BaselineNames.ConcurrentRuns"/> for chain10-x1000.</param>
public sealed class ActionBlockChain(int length, int concurrentRuns = 1) : Workload(
    concurrentRuns == 1 ? BaselineNames.ChainName(length) : WorkloadNames.Chain10X1000,
    BaselineNames.ActionBlock,
    concurrentRuns == 1 ? MeasureKind.PerRun : MeasureKind.Throughput,
    concurrentRuns)
{
    private readonly ActionBlock<ChainHop>[] blocks = new ActionBlock<ChainHop>[length];
    private readonly Task<int>[] runs = new Task<int>[concurrentRuns];

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        ActionBlock<ChainHop>? next = null;
        for (var i = blocks.Length - 1; i >= 0; i--)
        {
            var target = next;
            blocks[i] = target is null
                ? new ActionBlock<ChainHop>(static hop => hop.Done!.SetResult(hop.Value + 1))
                : new ActionBlock<ChainHop>(hop => target.Post(hop with { Value = hop.Value + 1 }));
            next = blocks[i];
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = blocks[0];
        for (var i = 0; i < iterations; i++)
        {
            if (runs.Length == 1)
            {
                var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                first.Post(new ChainHop(0, done));
                Check(await done.Task.ConfigureAwait(false), blocks.Length);
                continue;
            }

            for (var r = 0; r < runs.Length; r++)
            {
                var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                runs[r] = done.Task;
                first.Post(new ChainHop(0, done));
            }

            await Task.WhenAll((Task[])runs).ConfigureAwait(false); // the non-generic overload: no result array
            foreach (var run in runs)
            {
                Check(run.Result, blocks.Length);
            }
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        foreach (var block in blocks)
        {
            block?.Complete();
        }

        await Task.WhenAll(blocks.Where(b => b is not null).Select(b => b.Completion)).ConfigureAwait(false);
    }
}
