using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// mapreduce100 wired by hand: a start block posts 100 items to a map block, which posts item*2 to a
/// reduce block, which sums and, after the 100th, posts the run to a done block that completes it;
/// one run at a time.
/// </summary>
/// <remarks>
/// The map block processes one item at a time by default: with trivial items, parallel map workers
/// only add contention (measured: slower on 2 cores), and the yardstick should be the fastest
/// reasonable hand-written version. Pass a larger <c>mapParallelism</c> to compare.
/// </remarks>
/// <param name="mapParallelism">The map block's <see cref="ExecutionDataflowBlockOptions.MaxDegreeOfParallelism"/>.</param>
public sealed class ActionBlockMapReduce(int mapParallelism = 1)
    : Workload(WorkloadNames.MapReduce100, BaselineNames.ActionBlock, MeasureKind.PerRun)
{
    /// <summary>The number of dynamic tasks per run.</summary>
    public const int Items = 100;

    /// <summary>The result of one run: the sum of item*2 over 0..99.</summary>
    public const int ExpectedSum = Items * (Items - 1);

    private ActionBlock<JoinRun>? start;
    private ActionBlock<JoinItem>? map;
    private ActionBlock<JoinItem>? reduce;
    private ActionBlock<JoinRun>? done;

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var doneBlock = new ActionBlock<JoinRun>(static run => run.Done.SetResult(run.Sum));
        var reduceBlock = new ActionBlock<JoinItem>(item =>
        {
            var run = item.Run;
            run.Sum += item.Value;
            if (--run.Pending == 0)
            {
                doneBlock.Post(run);
            }
        });
        var mapBlock = new ActionBlock<JoinItem>(
            item => reduceBlock.Post(item with { Value = item.Value * 2 }),
            new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = mapParallelism });
        start = new ActionBlock<JoinRun>(run =>
        {
            for (var i = 0; i < Items; i++)
            {
                mapBlock.Post(new JoinItem(run, i));
            }
        });
        map = mapBlock;
        reduce = reduceBlock;
        done = doneBlock;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var first = start!;
        for (var i = 0; i < iterations; i++)
        {
            var run = new JoinRun(Items);
            first.Post(run);
            Check(await run.Done.Task.ConfigureAwait(false), ExpectedSum);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        IDataflowBlock?[] all = [start, map, reduce, done];
        foreach (var block in all)
        {
            block?.Complete();
        }

        await Task.WhenAll(all.OfType<IDataflowBlock>().Select(b => b.Completion)).ConfigureAwait(false);
    }
}
