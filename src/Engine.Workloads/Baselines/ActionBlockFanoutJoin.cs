using System.Threading.Tasks.Dataflow;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// fanout10-join wired by hand: a source block posts the run to 10 branch blocks, each branch posts
/// 1 to a join block, which sums and completes the run when all 10 have arrived; one run at a time.
/// </summary>
public sealed class ActionBlockFanoutJoin : Workload
{
    /// <summary>The number of parallel branches.</summary>
    public const int Branches = 10;

    private ActionBlock<JoinRun>? source;
    private readonly ActionBlock<JoinRun>[] branches = new ActionBlock<JoinRun>[Branches];
    private ActionBlock<JoinItem>? join;

    /// <summary>Creates the hand-wired fan-out and join.</summary>
    public ActionBlockFanoutJoin()
        : base(WorkloadNames.Fanout10Join, BaselineNames.ActionBlock, MeasureKind.PerRun)
    {
    }

    /// <inheritdoc/>
    public override ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        var joinBlock = new ActionBlock<JoinItem>(static item =>
        {
            var run = item.Run;
            run.Sum += item.Value;
            if (--run.Pending == 0)
            {
                run.Done.SetResult(run.Sum);
            }
        });
        for (var i = 0; i < branches.Length; i++)
        {
            branches[i] = new ActionBlock<JoinRun>(run => joinBlock.Post(new JoinItem(run, 1)));
        }

        var targets = branches;
        source = new ActionBlock<JoinRun>(run =>
        {
            foreach (var branch in targets)
            {
                branch.Post(run);
            }
        });
        join = joinBlock;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        var start = source!;
        for (var i = 0; i < iterations; i++)
        {
            var run = new JoinRun(Branches);
            start.Post(run);
            Check(await run.Done.Task.ConfigureAwait(false), Branches);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask TeardownAsync()
    {
        IDataflowBlock?[] all = [source, .. branches, join];
        foreach (var block in all)
        {
            block?.Complete();
        }

        await Task.WhenAll(all.OfType<IDataflowBlock>().Select(b => b.Completion)).ConfigureAwait(false);
    }
}
