using System.Threading.Tasks.Dataflow;
using Graph.Engine.Workloads.Measuring;

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
/// <param name="callers">Callers that start the runs (<see cref="ConcurrentRounds"/>): 1, or <see cref="ConcurrentRounds.PerCore"/> for chain10-x1000-callers.</param>
public sealed class ActionBlockChain(int length, int concurrentRuns = 1, int callers = 1) : Workload(
    BaselineNames.ChainName(length, concurrentRuns, callers),
    BaselineNames.ActionBlock,
    concurrentRuns == 1 ? MeasureKind.PerRun : MeasureKind.Throughput,
    concurrentRuns)
{
    private readonly ActionBlock<ChainHop>[] blocks = new ActionBlock<ChainHop>[length];
    private readonly Task<int>[] runs = new Task<int>[concurrentRuns];
    private Func<int, int, ValueTask>? round;

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

        round = RoundAsync;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        if (runs.Length > 1)
        {
            await ConcurrentRounds.RunAsync(iterations, runs.Length, callers, round!).ConfigureAwait(false);
            return;
        }

        var first = blocks[0];
        for (var i = 0; i < iterations; i++)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            first.Post(new ChainHop(0, done));
            Check(await done.Task.ConfigureAwait(false), blocks.Length);
        }
    }

    /// <summary>Posts the runs <paramref name="from"/>..<paramref name="to"/>-1 at once, then awaits and checks them.</summary>
    private async ValueTask RoundAsync(int from, int to)
    {
        var first = blocks[0];
        for (var r = from; r < to; r++)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            runs[r] = done.Task;
            first.Post(new ChainHop(0, done));
        }

        for (var r = from; r < to; r++)
        {
            Check(await runs[r].ConfigureAwait(false), blocks.Length);
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
