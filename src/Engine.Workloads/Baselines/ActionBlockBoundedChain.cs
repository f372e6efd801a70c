using System.Threading.Tasks.Dataflow;
using Graph.Engine.Workloads.Measuring;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// The hand-wired chain with the engine's guarantees on the wire: N <see cref="ActionBlock{TInput}"/>s bounded at the
/// engine's default mailbox capacity (1,000), each handing on with <c>SendAsync</c> (back-pressure instead of an
/// unbounded queue), the last completing the run's <see cref="TaskCompletionSource{TResult}"/>.
/// </summary>
/// <remarks>
/// The fair twin of <see cref="ActionBlockChain"/> (unbounded, <c>Post</c>): the engine's node mailboxes are bounded
/// and its sends wait for room, so this variant does the same work per hop. Both are shown. For chain10-x1000, where
/// the two differ (1,000 runs queue at once), this one is the primary baseline that the ratio and the target use, as
/// issue 15 asks of the hand-wired baseline; for one run at a time they do the same work and the unbounded one is primary.
/// </remarks>
/// <param name="length">Number of blocks: 1, 10 or 100.</param>
/// <param name="concurrentRuns">Runs started at once per iteration: 1, or <see cref="BaselineNames.ConcurrentRuns"/> for chain10-x1000.</param>
/// <param name="callers">Callers that start the runs (<see cref="ConcurrentRounds"/>): 1, or <see cref="ConcurrentRounds.PerCore"/> for chain10-x1000-callers.</param>
public sealed class ActionBlockBoundedChain(int length, int concurrentRuns = 1, int callers = 1) : Workload(
    BaselineNames.ChainName(length, concurrentRuns, callers),
    BaselineNames.ActionBlockBounded,
    concurrentRuns == 1 ? MeasureKind.PerRun : MeasureKind.Throughput,
    concurrentRuns)
{
    /// <summary>The capacity of each block: the engine's default <c>NodeOptions.MailboxCapacity</c>.</summary>
    public const int Capacity = 1_000;

    private readonly ActionBlock<ChainHop>[] blocks = new ActionBlock<ChainHop>[length];
    private readonly Task<int>[] runs = new Task<int>[concurrentRuns];
    private Func<int, int, ValueTask>? round;
    private CancellationToken token;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var options = new ExecutionDataflowBlockOptions { BoundedCapacity = Capacity };
        ActionBlock<ChainHop>? next = null;
        for (var i = blocks.Length - 1; i >= 0; i--)
        {
            var target = next;
            blocks[i] = target is null
                ? new ActionBlock<ChainHop>(static hop => hop.Done!.SetResult(hop.Value + 1), options)
                : new ActionBlock<ChainHop>(hop => target.SendAsync(hop with { Value = hop.Value + 1 }), options);
            next = blocks[i];
        }

        round = RoundAsync;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        token = cancellationToken;
        return ConcurrentRounds.RunAsync(iterations, runs.Length, callers, round!);
    }

    /// <summary>Sends the runs <paramref name="from"/>..<paramref name="to"/>-1 (waiting for room), then awaits and checks them.</summary>
    private async ValueTask RoundAsync(int from, int to)
    {
        var first = blocks[0];
        for (var r = from; r < to; r++)
        {
            var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            runs[r] = done.Task;
            await first.SendAsync(new ChainHop(0, done), token).ConfigureAwait(false);
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
